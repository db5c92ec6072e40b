"""Facet counts: both ways of counting (by document for few, by layer for many) give the
exact number of documents holding each value, as ANDing the value's mask and counting."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kb.search.snapshot import FacetPostings, ids_to_mask, mask_flags


def _random_facet(rng: random.Random, n: int, values: int) -> dict[str, int]:
    docs_of = {f"v{i}": set() for i in range(values)}
    for d in range(n):
        for slug in rng.sample(sorted(docs_of), min(values, rng.choice([0, 1, 1, 1, 2, 3, 5]))):
            docs_of[slug].add(d)
    return {slug: ids_to_mask(sorted(docs), n) for slug, docs in docs_of.items() if docs}


@pytest.mark.parametrize("seed", range(20))
def test_counts_equal_the_masks_popcount_for_small_and_large_sets(seed):
    rng = random.Random(seed)
    n = rng.choice([1, 7, 64, 500])
    masks = _random_facet(rng, n, rng.randint(1, 12))
    postings = FacetPostings(list(masks), masks, n)
    for share in (0.0, 0.01, 0.1, 0.5, 1.0):  # below and above the switch at 1/8
        chosen = [d for d in range(n) if rng.random() < share]
        subset = ids_to_mask(chosen, n) if chosen else 0
        flags = mask_flags(subset, n)
        counts = postings.counts(flags, np.flatnonzero(flags))
        expected = [(subset & masks[slug]).bit_count() for slug in postings.slugs]
        assert counts.tolist() == expected
