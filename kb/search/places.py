"""Where the words of a text are, for snippets: each distinct word's terms, then
the spans of the wanted terms, found with ``str.find`` rather than by analysing
every word again (see ``analysis.analyze`` for the same spans the long way).
"""

from __future__ import annotations

from kb.search.analysis import _JOINER_CHARS, WORD_RE, chunk_info

TermPlaces = dict[str, tuple[tuple[str, int, int], ...]]


def term_places(text: str) -> TermPlaces:
    """term -> ``(chunk, start, end)`` of each distinct word of ``text`` analysed to it
    (``start``/``end`` relative to the chunk). Search keeps it per result document
    (``Snapshot.term_places``): snippets then look up the query's terms only."""
    places: dict[str, list[tuple[str, int, int]]] = {}
    for chunk in set(WORD_RE.findall(text)):  # the distinct words, listed in C
        for _, t, s, e in chunk_info(chunk)[1]:
            places.setdefault(t, []).append((chunk, s, e))
    # Tuples of strings and numbers: once kept, the garbage collector stops visiting them.
    return {t: tuple(found) for t, found in places.items()}


def chunk_spans(text: str, wanted, places: TermPlaces | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, term)`` of every analysed word of ``text`` whose term is in ``wanted``.

    The same spans as :func:`analyze` gives, found without walking every word:
    the words analysed to a wanted term (``places``, computed when not given)
    are located with ``str.find`` and kept where ``WORD_RE`` would match them.
    """
    if places is None:
        places = term_places(text)
    hits: dict[str, list[tuple[str, int, int]]] = {}
    for t in wanted:
        for chunk, s, e in places.get(t, ()):
            hits.setdefault(chunk, []).append((t, s, e))
    out = []
    match = WORD_RE.match
    for chunk, items in hits.items():
        size = len(chunk)
        p = text.find(chunk)
        while p != -1:
            if (p == 0 or not text[p - 1].isalnum()
                    and not (p > 1 and text[p - 1] in _JOINER_CHARS and text[p - 2].isalnum())):
                m = match(text, p)
                if m is not None and m.end() == p + size:
                    out.extend((p + s, p + e, t) for t, s, e in items)
            p = text.find(chunk, p + 1)
    return out
