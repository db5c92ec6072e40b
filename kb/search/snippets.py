"""Highlighted snippets from stored, Markdown-free text.

The passage is re-analysed with the index analyzer, so a match is exactly a word
whose term the query looked for ("expulsions" marks "expulsion", "Uni’Voisins"
marks the whole name). Output is HTML: escaped text, ``<mark>`` around matches.
"""

from __future__ import annotations

from html import escape

from kb.search.analysis import chunk_spans

WINDOW = 220
CONTEXT = 40


def truncate(text: str, limit: int = WINDOW) -> str:
    """Escaped ``text`` cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return escape(text)
    cut = text.rfind(" ", 0, limit)
    return escape(text[: cut if cut > limit // 2 else limit].rstrip(" ,;:")) + "…"


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


def _render(text: str, matches, first: int, last: int) -> str:
    start = max(0, matches[first][0] - CONTEXT)
    if start:
        space = text.find(" ", start, matches[first][0])
        start = space + 1 if space != -1 else start
    end = min(len(text), max(matches[last][1] + CONTEXT, start + WINDOW))
    if end < len(text):
        space = text.rfind(" ", matches[last][1], end)
        end = space if space != -1 else end
    parts = ["…" if start else ""]
    pos = start
    for s, e, _ in matches:
        if s < start or e > end:
            continue
        parts.append(escape(text[pos:s]))
        parts.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    parts.append(escape(text[pos:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts)


def snippet(summary: str, body: str, wanted: set[str]) -> str:
    """Best passage of the summary or the body, highlighted; the summary if none."""
    if not wanted:
        return truncate(summary)
    best = None
    for text in (summary, body):
        if not text:
            continue
        matches = _matches(text, wanted)
        if not matches:
            continue
        score, first, last = _best_window(matches)
        if best is None or score > best[0]:
            best = (score, text, matches, first, last)
        if text is summary and score // 100 >= len(wanted):
            break  # the summary already shows every word
    if best is None:
        return truncate(summary)
    _, text, matches, first, last = best
    return _render(text, matches, first, last)
