"""French analysis: one pass from raw text to index terms.

Order matters: split words (keeping hyphen/apostrophe compounds together), drop
elisions (l', d', qu'...), FOLD accents and ligatures, drop stop words, THEN
stem. A compound ("Seine-Saint-Denis", "Uni'Voisins") yields its parts at
consecutive positions plus the joined form at the first part's position, so it
is found split or joined.

The schema is pickled into the index: ``FrenchTokenizer`` must keep this import
path (``kb.search.analysis.FrenchTokenizer``). Never move or rename it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Token, Tokenizer

from kb.search.stemmer import ELISIONS, STOP_WORDS, stem
from kb.taxonomy import fold

# A word, possibly joined to others by apostrophes or hyphens (both typographic forms).
WORD_RE = re.compile(r"[^\W_]+(?:['’‘ʼ\-‐‑][^\W_]+)*")
_JOINERS = re.compile(r"['’‘ʼ\-‐‑]")
_APOSTROPHES = "'’‘ʼ"


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Folded, lower-case form of one word (memoised: words repeat a lot)."""
    return fold(word)


@lru_cache(maxsize=200_000)
def term_of(word: str) -> str | None:
    """Index term of one simple word as written, or None for a stop word."""
    folded = fold_word(word)
    if not folded or folded in STOP_WORDS:
        return None
    return stem(folded)


@lru_cache(maxsize=100_000)
def split_compound(chunk: str) -> tuple[tuple[str, ...], str | None]:
    """Parts (as written) of a compound after elision, and its joined folded form.

    "d’Uni’Voisins" -> (("Uni", "Voisins"), "univoisins"); "l'emploi" -> (("emploi",), None).
    """
    parts = _JOINERS.split(chunk)
    seps = _JOINERS.findall(chunk)
    while len(parts) > 1 and seps[0] in _APOSTROPHES and fold_word(parts[0]) in ELISIONS:
        parts = parts[1:]
        seps = seps[1:]
    if len(parts) == 1:
        return (parts[0],), None
    joined = "".join(fold_word(p) for p in parts)
    return tuple(parts), joined


def analyze(text: str) -> Iterator[tuple[int, str, int, int]]:
    """Yield ``(position, term, start_char, end_char)`` for ``text``.

    The joined form of a compound shares the position of its first part and
    spans the whole compound.
    """
    pos = -1
    for m in WORD_RE.finditer(text):
        chunk = m.group()
        start = m.start()
        if len(chunk) == 1 or chunk.isalnum():
            term = term_of(chunk)
            if term is not None:
                pos += 1
                yield pos, term, start, m.end()
                if len(chunk) > 1 and chunk.isupper():
                    # Acronyms are also kept unstemmed: "CCAPEX" must not become "cape".
                    raw = fold_word(chunk)
                    if raw != term:
                        yield pos, raw, start, m.end()
            continue
        parts, joined = split_compound(chunk)
        first_pos = None
        offset = first_char = start + len(chunk) - sum(len(p) for p in parts) - (len(parts) - 1)
        for part in parts:
            term = term_of(part)
            if term is not None:
                pos += 1
                if first_pos is None:
                    first_pos = pos
                yield pos, term, offset, offset + len(part)
            offset += len(part) + 1
        if joined is not None:
            jterm = stem(joined)
            if first_pos is None:
                pos += 1
                first_pos = pos
            yield first_pos, jterm, first_char, m.end()


@lru_cache(maxsize=16)
def analyzed(text: str) -> tuple[tuple[int, str, int, int], ...]:
    """:func:`analyze` of ``text``, memoised for the few texts of the document being indexed.

    ``to_fields`` analyses a text once to derive its word pairs; Whoosh's call of
    the tokenizer on the same text then reuses the result.
    """
    return tuple(analyze(text))


def pair_term(a: str, b: str) -> str:
    """The term of two terms at consecutive positions (terms never contain "_")."""
    return a + "_" + b


def pairs(text: str) -> set[str]:
    """Every pair of terms found at consecutive positions of ``text``.

    Terms sharing a position (a compound's joined form, an acronym's raw form)
    each pair with every term of the next position, so the pairs say exactly
    what a two-term positional phrase query would find.
    """
    by_pos: dict[int, list[str]] = {}
    for pos, term, _, _ in analyzed(text):
        by_pos.setdefault(pos, []).append(term)
    out = set()
    for pos, here in by_pos.items():
        nxt = by_pos.get(pos + 1)
        if nxt:
            out.update(pair_term(a, b) for a in here for b in nxt)
    return out


def terms(text: str) -> list[str]:
    """The index terms of ``text`` in order (joined compounds included)."""
    return [t for _, t, _, _ in analyze(text)]


class FrenchTokenizer(Tokenizer):
    """Whoosh tokenizer running :func:`analyze` (folding, elision, stop words, stems)."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, term, s, e in analyzed(value) if len(value) > 64 else analyze(value):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[s:e]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + s
                t.endchar = start_char + e
            yield t
