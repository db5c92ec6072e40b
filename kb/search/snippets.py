"""Highlighted snippets from stored, Markdown-free text.

The passage is re-analysed with the index analyzer, so a match is exactly a word
whose term the query looked for ("expulsions" marks "expulsion", "Uni’Voisins"
marks the whole name). Output is HTML: escaped text, ``<mark>`` around matches.

The passage shown is the one with the most distinct query words. A sentence
that several practices of the same answer share (an introduction copied from
one write-up to the next) is the last choice: its matches count only when no
other passage has any.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape

from kb.search.analysis import chunk_spans, fold_word

WINDOW = 220
CONTEXT = 40


def truncate(text: str, limit: int = WINDOW) -> str:
    """Escaped ``text`` cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return escape(text)
    cut = text.rfind(" ", 0, limit)
    return escape(text[: cut if cut > limit // 2 else limit].rstrip(" ,;:")) + "…"


SHINGLE = 4  # words per run compared between sentences
_SENTENCE = re.compile(r"[^.!?\n]{40,}?(?:[.!?]+|\n|$)")


def _sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded key) of each sentence of 40+ characters."""
    return [(m.start(), m.end(), fold_word(" ".join(m.group().split())))
            for m in _SENTENCE.finditer(text)]


def _shingles(key: str) -> set[tuple[str, ...]]:
    words = key.split()
    return {tuple(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def shared_sentences(texts: list[str]) -> set[str]:
    """Folded sentences mostly made of word runs other ``texts`` also hold (boilerplate).

    Near copies count: "lors de la première table ronde de la conférence..." and
    "lors de la seconde table ronde de la conférence..." share most of their
    runs of ``SHINGLE`` words.
    """
    per_text = [[(key, _shingles(key)) for _, _, key in _sentences(text)] for text in texts]
    seen: Counter = Counter()
    for sentences in per_text:
        seen.update(set().union(*(sh for _, sh in sentences)) if sentences else ())
    shared = set()
    for sentences in per_text:
        for key, shingles in sentences:
            if sum(seen[sh] > 1 for sh in shingles) * 2 >= len(shingles):
                shared.add(key)
    return shared


def _own_matches(text: str, matches, shared: set[str]):
    """``matches`` outside the sentences of ``shared`` (boilerplate)."""
    if not shared:
        return matches
    spans = [(s, e) for s, e, key in _sentences(text) if key in shared]
    if not spans:
        return matches
    return [m for m in matches if not any(s <= m[0] < e for s, e in spans)]


def _matches(text: str, wanted: set[str]) -> list[tuple[int, int, str]]:
    spans = sorted(chunk_spans(text, wanted))
    out: list[tuple[int, int, str]] = []
    for s, e, t in spans:  # drop a part overlapped by its joined compound
        if out and s < out[-1][1]:
            if e - s > out[-1][1] - out[-1][0]:
                out[-1] = (s, e, t)
            continue
        out.append((s, e, t))
    return out


def _best_window(matches: list[tuple[int, int, str]]) -> tuple[int, int, int]:
    """(score, first, last) index range of matches fitting in one window."""
    best = (0, 0, 0)
    j = 0
    for i in range(len(matches)):
        j = max(j, i)
        while j + 1 < len(matches) and matches[j + 1][1] - matches[i][0] <= WINDOW - 2 * CONTEXT:
            j += 1
        distinct = len({m[2] for m in matches[i : j + 1]})
        score = distinct * 100 + (j - i + 1)
        if score > best[0]:
            best = (score, i, j)
    return best


def _render(text: str, matches, lo: int, hi: int) -> str:
    """The window around characters ``lo``-``hi`` of ``text``, every match in it marked."""
    start = max(0, lo - CONTEXT)
    if start:
        space = text.find(" ", start, lo)
        start = space + 1 if space != -1 else start
    end = min(len(text), max(hi + CONTEXT, start + WINDOW))
    if end < len(text):
        space = text.rfind(" ", hi, end)
        end = space if space != -1 else end
    parts = ["…" if start else ""]
    pos = start
    for s, e, _ in matches:
        if s < start or e > end or s < pos:
            continue
        parts.append(escape(text[pos:s]))
        parts.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    parts.append(escape(text[pos:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts)


def snippet(summary: str, body: str, wanted: set[str], shared: set[str] = frozenset()) -> str:
    """Best passage of the summary or the body, highlighted; the summary if none.

    ``shared``: folded sentences other results also hold, chosen last.
    """
    if not wanted:
        return truncate(summary)
    best = None
    for text in (summary, body):
        if not text:
            continue
        matches = _matches(text, wanted)
        if not matches:
            continue
        own = _own_matches(text, matches, shared)
        candidates = own or matches
        score, first, last = _best_window(candidates)
        if not own:
            score -= 100_000  # only boilerplate here: the last choice
        if best is None or score > best[0]:
            best = (score, text, matches, candidates[first][0], candidates[last][1])
        if text is summary and own and score // 100 >= len(wanted):
            break  # the summary already shows every word
    if best is None or (best[0] < 0 and summary):
        return truncate(summary)  # the practice's own words rather than boilerplate
    _, text, matches, lo, hi = best
    return _render(text, matches, lo, hi)
