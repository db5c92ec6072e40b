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
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache
from html import escape

from kb.search.analysis import fold_word
from kb.search.places import TermPlaces, chunk_spans

WINDOW = 220
CONTEXT = 40


def truncate(text: str, limit: int = WINDOW) -> str:
    """Escaped ``text`` cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return escape(text)
    cut = text.rfind(" ", 0, limit)
    return escape(text[: cut if cut > limit // 2 else limit].rstrip(" ,;:")) + "…"


SHINGLE = 4  # words per run compared between sentences
_ENDS = ".!?\n"


_END_RE = re.compile("[.!?\n]")


def _sentence_at(text: str, ends: list[int], pos: int) -> tuple[int, int]:
    """Bounds of the sentence holding character ``pos``; ``ends``: the sorted positions
    of every sentence end of ``text`` (found once: looking for an absent end
    character from each match again read the whole text each time)."""
    i = bisect_left(ends, pos)
    start = ends[i - 1] + 1 if i else 0
    return start, (ends[i] + 1 if i < len(ends) else len(text))


def _matched_sentences(text: str, matches) -> dict[tuple[int, int], str]:
    """(start, end) -> folded words of each sentence holding a match."""
    out: dict[tuple[int, int], str] = {}
    ends = [m.start() for m in _END_RE.finditer(text)] if matches else []
    last_end = -1
    for s, _, _ in matches:
        if s < last_end:
            continue
        bounds = _sentence_at(text, ends, s)
        last_end = bounds[1]
        out[bounds] = fold_word(text[bounds[0]:bounds[1]])
    return out


def _outside(matches: list[tuple[int, int, str]],
             spans: set[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The matches that start in none of ``spans`` (sentences: they do not overlap),
    one binary search each."""
    if not spans:
        return list(matches)
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    out = []
    for m in matches:
        i = bisect_right(starts, m[0]) - 1
        if i < 0 or m[0] >= ordered[i][1]:
            out.append(m)
    return out


@lru_cache(maxsize=50_000)  # the sentences of frequent results come back query after query
def _shingles(key: str) -> frozenset[tuple[str, ...]]:
    words = key.split()
    return frozenset(tuple(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1)))


class Passages:
    """The summary and body of one result with their matches, and which sentences are shared."""

    __slots__ = ("summary", "texts", "sentences")

    def __init__(self, summary: str, body: str, wanted: set[str],
                 places: tuple[TermPlaces | None, TermPlaces | None] = (None, None)) -> None:
        self.summary = summary
        self.texts = []
        for text, known in zip((summary, body), places, strict=True):
            matches = _matches(text, wanted, known) if text else []
            if matches:
                self.texts.append((text, matches))
                if text is summary and len({m[2] for m in matches}) >= len(wanted):
                    break  # the summary shows every word: the body is not read
        # Only sentences holding a match can be shown: only they are compared.
        self.sentences = [_matched_sentences(t, m) for t, m in self.texts]


def mark_shared(results: list[Passages]) -> list[list[set[tuple[int, int]]]]:
    """For each result and text, the bounds of its sentences mostly made of word runs
    that another result's matched sentences also hold (boilerplate).

    Near copies count: "lors de la première table ronde de la conférence..." and
    "lors de la seconde table ronde de la conférence..." share most of their runs
    of ``SHINGLE`` words.
    """
    shingled = [[{b: _shingles(k) for b, k in sentences.items()} for sentences in r.sentences]
                for r in results]
    seen: Counter = Counter()
    for result in shingled:
        seen.update(set().union(*(sh for text in result for sh in text.values())))
    return [[{b for b, sh in text.items() if sum(seen[x] > 1 for x in sh) * 2 >= len(sh)}
             for text in result] for result in shingled]


def _matches(text: str, wanted: set[str],
             places: TermPlaces | None = None) -> list[tuple[int, int, str]]:
    spans = sorted(chunk_spans(text, wanted, places))
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


def snippet(passages: Passages, shared: list[set[tuple[int, int]]]) -> str:
    """Best passage of the summary or the body, highlighted; the summary if none.

    ``shared``: per text, the bounds of sentences other results also hold,
    chosen last (the summary is shown rather than them).
    """
    best = None
    for (text, matches), boiler in zip(passages.texts, shared, strict=True):
        own = _outside(matches, boiler)
        candidates = own or matches
        score, first, last = _best_window(candidates)
        if not own:
            score -= 100_000  # only boilerplate here: the last choice
        if best is None or score > best[0]:
            best = (score, text, matches, candidates[first][0], candidates[last][1])
        if text is passages.summary and own and score // 100 >= len({m[2] for m in matches}):
            break  # the summary already shows every word it could
    if best is not None and best[0] < 0 and passages.summary:
        # Only shared sentences match: the summary, highlighted if it holds the words.
        if passages.texts and passages.texts[0][0] is passages.summary:
            matches = passages.texts[0][1]
            _, first, last = _best_window(matches)
            return _render(passages.summary, matches, matches[first][0], matches[last][1])
        return truncate(passages.summary)
    if best is None:
        return truncate(passages.summary)
    _, text, matches, lo, hi = best
    return _render(text, matches, lo, hi)


def snippets(pairs: list[tuple[str, str]], wanted: set[str],
             places: list[tuple[TermPlaces | None, TermPlaces | None]] | None = None) -> list[str]:
    """Snippets of several results ``(summary, body)`` at once (shared sentences known).

    ``places``: the ``places.term_places`` of each summary and body, when known.
    """
    if not wanted:
        return [truncate(summary) for summary, _ in pairs]
    places = places or [(None, None)] * len(pairs)
    results = [Passages(summary, body, wanted, known)
               for (summary, body), known in zip(pairs, places, strict=True)]
    return [snippet(r, shared) for r, shared in zip(results, mark_shared(results), strict=True)]
