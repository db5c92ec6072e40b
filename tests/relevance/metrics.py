"""P@5 and nDCG@10 over graded judgments (grade 2: the answer, 1: also relevant)."""

from __future__ import annotations

import math


def precision_at(ranked: list[str], judged: dict[str, int], k: int = 5) -> float:
    """Relevant practices in the top ``k``, over min(k, number of relevant ones).

    Divided by what a perfect ranking could reach, so that a query with one
    relevant practice found first scores 1, not 0.2.
    """
    relevant = [s for s, g in judged.items() if g > 0]
    if not relevant:
        return 0.0
    hits = sum(1 for s in ranked[:k] if judged.get(s, 0) > 0)
    return hits / min(k, len(relevant))


def ndcg_at(ranked: list[str], judged: dict[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain at ``k`` (gain 2^grade - 1)."""
    def dcg(grades: list[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(judged.values(), reverse=True))
    return dcg([judged.get(s, 0) for s in ranked]) / ideal if ideal else 0.0
