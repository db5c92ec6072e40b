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
from itertools import chain, islice, product, starmap
from operator import itemgetter

from whoosh.analysis import Token, Tokenizer

from kb.search.memo import Memo
from kb.search.stemmer import ABBREVIATIONS, ELISIONS, STOP_WORDS, roman_ordinal, stem
from kb.taxonomy import fold

# A word, possibly joined to others by apostrophes or hyphens (both typographic forms).
WORD_RE = re.compile(r"[^\W_]+(?:['’‘ʼ\-‐‑][^\W_]+)*")
_JOINERS = re.compile(r"['’‘ʼ\-‐‑]")
_APOSTROPHES = "'’‘ʼ"
_JOINER_CHARS = "'’‘ʼ-‐‑"


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Folded, lower-case form of one word (memoised: words repeat a lot)."""
    return fold(word)


# Prefix of the unstemmed index term of a word written in capitals ("=ccapex"):
# no stem starts with it, so "jeunes" (a stem of "jeunesse") never passes for one.
RAW_MARK = "="


def raw_term(folded: str) -> str:
    """The index term of an acronym, kept unstemmed ("CCAPEX" -> "=ccapex")."""
    return RAW_MARK + folded


@lru_cache(maxsize=200_000)
def term_of(word: str) -> str | None:
    """Index term of one simple word as written, or None for a stop word.

    "XVIIIe" -> "18e"; "St" -> "saint".
    """
    roman = roman_ordinal(word)
    if roman is not None:
        return roman
    folded = fold_word(word)
    folded = ABBREVIATIONS.get(folded, folded)
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
    joined = "".join(ABBREVIATIONS.get(f, f) for f in map(fold_word, parts))
    return tuple(parts), joined


@lru_cache(maxsize=200_000)
def chunk_info(chunk: str) -> tuple[int, tuple[tuple[int, str, int, int], ...]]:
    """Analysis of one ``WORD_RE`` match, relative to itself (memoised: words repeat).

    Returns ``(positions used, ((relative position, term, start, end), ...))``.
    The joined form of a compound shares the position of its first part and
    spans the whole compound.
    """
    out: list[tuple[int, str, int, int]] = []
    pos = -1
    if len(chunk) == 1 or chunk.isalnum():
        term = term_of(chunk)
        if term is not None:
            pos += 1
            out.append((pos, term, 0, len(chunk)))
            if len(chunk) > 1 and chunk.isupper() and term != fold_word(chunk):
                # Acronyms are also kept unstemmed: "CCAPEX" must not become "cape".
                out.append((pos, raw_term(fold_word(chunk)), 0, len(chunk)))
        return pos + 1, tuple(out)
    parts, joined = split_compound(chunk)
    first_pos = None
    offset = first_char = len(chunk) - sum(len(p) for p in parts) - (len(parts) - 1)
    before = _JOINERS.split(chunk[: first_char - 1])[-1] if first_char else None
    for part in parts:
        term = term_of(part)
        if term is not None:
            pos += 1
            if first_pos is None:
                first_pos = pos
            out.append((pos, term, offset, offset + len(part)))
            if (before is not None and part[:1].isupper() and fold_word(before) in ("l", "d")
                    and chunk[offset - 1] in _APOSTROPHES):
                # A name with its article, typed without the apostrophe: "lhay", "dor".
                out.append((pos, stem(fold_word(before + part)), offset - len(before) - 1,
                            offset + len(part)))
        before = part
        offset += len(part) + 1
    if joined is not None and first_pos is not None:  # not for "qu'est-ce", "peut-on"
        out.append((first_pos, stem(joined), first_char, len(chunk)))
    return pos + 1, tuple(out)


def analyze(text: str) -> Iterator[tuple[int, str, int, int]]:
    """Yield ``(position, term, start_char, end_char)`` for ``text``.

    The joined form of a compound shares the position of its first part and
    spans the whole compound.
    """
    base = 0
    for m in WORD_RE.finditer(text):
        used, items = chunk_info(m.group())
        if not used:
            continue
        start = m.start()
        for rel, term, s, e in items:
            yield base + rel, term, start + s, start + e
        base += used


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


def _chunk_slots(chunk: str) -> tuple[tuple[str, ...], ...]:
    used, items = chunk_info(chunk)
    slots: list[list[str]] = [[] for _ in range(used)]
    for rel, term, _, _ in items:
        slots[rel].append(term)
    return tuple(tuple(s) for s in slots)


# The terms of one ``WORD_RE`` match position by position, memoised (read once per
# word of every indexed text): "d’Uni’Voisins" -> (("uni", "univoisin"), ("voisin",));
# a stop word -> ().
chunk_slots: Memo[str, tuple[tuple[str, ...], ...]] = Memo(_chunk_slots, 200_000)


def slots(text: str) -> list[tuple[str, ...]]:
    """The terms of ``text`` position by position (every position holds one or more).

    The same positions and terms as :func:`analyze`, without the character
    offsets: the words are listed in C (``findall``) and each distinct word is
    analysed once for the process (``chunk_slots``).
    """
    return list(chain.from_iterable(map(chunk_slots.__getitem__, WORD_RE.findall(text))))


_first = itemgetter(0)
_pair = "{}_{}".format
_SHARED = re.compile(rb"[^\x01]")  # a position of several terms (never of none)


def slot_pairs(by_pos: list[tuple[str, ...]], flat_count: int | None = None) -> set[str]:
    """:func:`pairs` from :func:`slots` (``flat_count``: number of terms, if known)."""
    if len(by_pos) < 2:
        return set()
    firsts = list(map(_first, by_pos))
    out = set(map(_pair, firsts, islice(firsts, 1, None)))
    if flat_count is None:
        flat_count = sum(map(len, by_pos))
    if flat_count != len(by_pos):  # some position holds several terms
        out.update(starmap(pair_term, shared_pairs(by_pos)))
    return out


def shared_pairs(by_pos: list[tuple[str, ...]]) -> Iterator[tuple[str, str]]:
    """The pairs ``(a, b)`` of consecutive positions one of which holds several terms
    (the others' pairs are their first terms')."""
    # Those positions are found in C: one byte per position, its number of terms.
    last = len(by_pos) - 1
    for m in _SHARED.finditer(bytes(map(len, by_pos))):
        i = m.start()
        here = by_pos[i]
        if i:
            yield from product(by_pos[i - 1], here)
        if i < last:
            yield from product(here, by_pos[i + 1])


def slot_sequence(by_pos: list[tuple[str, ...]]) -> str:
    """:func:`sequence` from :func:`slots`."""
    return " " + " ".join(map("|".join, by_pos)) + " " if by_pos else " "


def pairs(text: str) -> set[str]:
    """Every pair of terms found at consecutive positions of ``text``.

    Terms sharing a position (a compound's joined form, an acronym's raw form)
    each pair with every term of the next position, so the pairs say exactly
    what a two-term positional phrase query would find.
    """
    return slot_pairs(slots(text))


def sequence(text: str) -> str:
    """The terms of ``text`` position by position: " t1 t2|t2b t3 " (``|``: same position).

    Stored per document so that a phrase of three or more terms, narrowed by its
    pairs, is checked with a substring search (see ``matching.phrase_checker``).
    """
    return slot_sequence(slots(text))


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
