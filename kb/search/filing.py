"""The postings of one field during a bulk rebuild, filed in flat arrays.

A rebuild files about three million postings per 5,000 practices (most of them
word pairs). Appending each to its term's own Python list touches one list per
posting, scattered over memory. Here each document's terms become numbers in C
(a ``defaultdict`` whose missing keys take the next number), and the postings
are three flat arrays (term number, docnum, frequency). At write time a stable
sort by term number groups them: docnums stay in increasing order within a term.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain, count, repeat
from operator import itemgetter, methodcaller
from typing import Any, NamedTuple

import numpy as np

from kb.search.analysis import pair_term, shared_pairs

_first = itemgetter(0)
_NO_KEYS = np.empty(0, np.int64)


class Grouped(NamedTuple):
    """The postings of a docnum-only field, in increasing term order: each term (as
    UTF-8), its number of postings, and all docnums end to end (``term_blocks``
    writes them as they are, without a list per term)."""

    terms: list[bytes]
    sizes: np.ndarray
    docs: np.ndarray

    def items(self) -> list[tuple[bytes, list[int]]]:
        """``(term, docnums)`` of each term."""
        ends = np.cumsum(self.sizes)
        docs = self.docs.tolist()
        return list(zip(self.terms, map(docs.__getitem__, map(
            slice, (ends - self.sizes).tolist(), ends.tolist())), strict=True))


_EMPTY = Grouped([], np.empty(0, np.int64), np.empty(0, np.int64))


class FiledPostings:
    """Postings of one field: ``add`` a document's distinct terms, then ``items``."""

    __slots__ = ("_numbers", "_terms", "_docs", "_freqs")

    def __init__(self, frequencies: bool) -> None:
        self._numbers: defaultdict[str, int] = defaultdict(count().__next__)
        self._terms = array("i")
        self._docs = array("i")
        self._freqs = array("i") if frequencies else None

    def __len__(self) -> int:
        return len(self._numbers)

    def add(self, docnum: int, terms: Iterable[str]) -> None:
        """File ``docnum`` under each of ``terms`` (distinct: a set or a mapping's keys)."""
        before = len(self._terms)
        self._terms.extend(map(self._numbers.__getitem__, terms))
        self._docs.extend(repeat(docnum, len(self._terms) - before))

    def add_counts(self, docnum: int, counts: Mapping[str, int]) -> None:
        """File ``docnum`` with its frequency under each term of ``counts``."""
        self.add(docnum, counts)
        self._freqs.extend(counts.values())

    def items(self) -> Iterator[tuple[bytes, Any]]:
        """``(term as UTF-8, postings)`` in increasing term order; the postings are
        the docnums, or ``(docnums, frequencies)`` when filed with frequencies."""
        terms = list(self._numbers)  # in number order: numbers were given in this order
        if not terms:
            return iter(())
        numbers = np.frombuffer(self._terms, dtype=np.int32)
        return _by_text(terms, np.bincount(numbers, minlength=len(terms)),
                        np.argsort(numbers, kind="stable"),
                        np.frombuffer(self._docs, dtype=np.int32),
                        None if self._freqs is None else np.frombuffer(self._freqs, np.int32))


class PairPostings:
    """The ``pairs`` field's postings, filed as numbers: a pair of terms numbered
    ``a`` and ``b`` is the key ``a << 32 | b``. Building the pair strings of every
    document ("lien_social"), then looking each up among 200,000, cost two seconds
    per 5,000 practices; here only the distinct pairs are spelt, once, at the end."""

    __slots__ = ("_numbers", "_docnums", "_keys")

    def __init__(self) -> None:
        self._numbers: defaultdict[str, int] = defaultdict(count().__next__)
        self._docnums: list[int] = []
        self._keys: list[np.ndarray] = []

    def __len__(self) -> int:  # documents with pairs
        return len(self._keys)

    def keys_of(self, texts: Iterable[tuple[list[tuple[str, ...]], int]]) -> np.ndarray:
        """The distinct pair keys of one document, from each text's terms position by
        position and its number of terms (``analysis.slots``): what ``slot_pairs``
        gives, as keys."""
        number = self._numbers.__getitem__
        found = []
        for by_pos, flat_count in texts:
            if len(by_pos) < 2:
                continue
            ids = np.fromiter(map(number, map(_first, by_pos)), np.int64, len(by_pos))
            found.append((ids[:-1] << 32) | ids[1:])
            if flat_count != len(by_pos):  # some position holds several terms
                more = [number(a) << 32 | number(b) for a, b in shared_pairs(by_pos)]
                found.append(np.array(more, np.int64))
        if not found:
            return _NO_KEYS
        return _distinct(np.concatenate(found))

    def add(self, docnum: int, keys: np.ndarray) -> None:
        if len(keys):
            self._docnums.append(docnum)
            self._keys.append(keys)

    def grouped(self) -> Grouped:
        """The pair terms (as UTF-8) in increasing order, with their docnums."""
        if not self._keys:
            return _EMPTY
        keys = np.concatenate(self._keys)
        docs = np.repeat(np.array(self._docnums, np.int32), [len(k) for k in self._keys])
        order = np.argsort(keys, kind="stable")
        distinct, _, sizes = _runs(keys[order])
        terms = list(self._numbers)
        texts = list(map(pair_term, map(terms.__getitem__, (distinct >> 32).tolist()),
                         map(terms.__getitem__, (distinct & 0xFFFFFFFF).tolist())))
        return _grouped(texts, sizes, order, docs)


class SpellingPostings:
    """The ``spell`` and ``spellx`` fields' postings, filed by ``WORD_RE`` match.

    A document has about 200 distinct matches and as many spelling entries
    ("tranquillite", "tranquillite\x1ftranquillité"). Spelling each document's
    entries, then numbering them, cost a tenth of a rebuild; here each
    document files its matches (already found for the other fields), and each
    distinct match is spelt once, at the end. ``spellx`` keeps the first
    document of each accented entry only, as a rebuild's ``seen_accents`` does.
    """

    __slots__ = ("_spelling", "_chunks")

    def __init__(self, spelling: Callable[[str], tuple[str, ...]]) -> None:
        self._spelling = spelling  # a match -> its entries (``spell_entries.spelling_words``)
        self._chunks = FiledPostings(frequencies=False)

    def __len__(self) -> int:
        return len(self._chunks)

    def add(self, docnum: int, chunks: Iterable[str]) -> None:
        """File ``docnum`` under each of its distinct ``WORD_RE`` matches."""
        self._chunks.add(docnum, chunks)

    def grouped(self) -> tuple[Grouped, Grouped]:
        """``(spell, spellx)``: each field's entries (as UTF-8) in increasing order,
        with their docnums."""
        chunks = self._chunks
        if not len(chunks):
            return _EMPTY, _EMPTY
        spelt = list(map(self._spelling, chunks._numbers))  # in chunk number order
        numbers: defaultdict[str, int] = defaultdict(count().__next__)
        flat = np.fromiter(map(numbers.__getitem__, chain.from_iterable(spelt)), np.int64)
        sizes = np.fromiter(map(len, spelt), np.int64, len(spelt))
        starts = np.cumsum(sizes) - sizes
        # every (entry, docnum) of every filed (match, docnum)
        posted = np.frombuffer(chunks._terms, dtype=np.int32).astype(np.int64)
        reps = sizes[posted]
        first = np.repeat(starts[posted], reps)
        within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        entries = flat[first + within]
        docs = np.repeat(np.frombuffer(chunks._docs, dtype=np.int32).astype(np.int64), reps)
        keys = _distinct(entries << 32 | docs)  # by entry, then docnum; each pair once
        entries, docs = keys >> 32, keys & 0xFFFFFFFF
        texts = list(numbers)
        accented = np.fromiter(map(methodcaller("__contains__", "\x1f"), texts), bool, len(texts))
        out = []
        for wanted in (False, True):
            mask = accented[entries] == wanted
            found, at, many = _runs(entries[mask])  # (sorted)
            chosen = docs[mask]
            if wanted:  # the first document only
                chosen, many = chosen[at], np.ones_like(many)
            out.append(_grouped([texts[i] for i in found.tolist()], many,
                                np.arange(len(chosen)), chosen))
        return out[0], out[1]


# numpy 2's ``np.unique`` hashes its input, then sorts the result: fifteen times
# slower than a sort for a million keys, four times for a document's thousand.
def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of ``values``, in increasing order (``np.unique``)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    first = np.empty(len(ordered), bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def _runs(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(value, first index, count)`` of each run of equal values of the sorted
    ``ordered``: ``np.unique(ordered, return_index=True, return_counts=True)``."""
    if not len(ordered):
        empty = np.empty(0, np.int64)
        return ordered, empty, empty
    first = np.empty(len(ordered), bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return ordered[starts], starts, np.diff(starts, append=len(ordered))


def _grouped(texts: list[str], sizes: np.ndarray, order: np.ndarray,
             docs: np.ndarray) -> Grouped:
    """``_by_text`` without frequencies, as ``Grouped``: the docnums of every group
    moved into text order in numpy."""
    by_text = np.array(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    moved = sizes[by_text]
    # posting i of the result comes from position starts[g] + (i - where g now starts)
    now = np.cumsum(moved) - moved
    index = np.repeat(starts[by_text] - now, moved) + np.arange(int(moved.sum()))
    return Grouped(list(map(str.encode, map(texts.__getitem__, by_text.tolist()))),
                   moved, docs[order][index].astype(np.int64))


def _by_text(texts: list[str], sizes: np.ndarray, order: np.ndarray, docs: np.ndarray,
             freqs: np.ndarray | None = None) -> Iterator[tuple[bytes, Any]]:
    """``(text as UTF-8, docnums)``, or ``(text, (docnums, frequencies))``, in increasing
    text order. ``order`` (a stable sort of the postings by group, so docnums stay
    increasing within one) lists ``sizes[g]`` postings for group ``g``, whose text is
    ``texts[g]``. The iteration runs in C (``map``/``zip`` over slices): there are
    200,000 terms, most of them word pairs, per 5,000 practices."""
    starts = np.cumsum(sizes) - sizes
    # UTF-8 keeps code point order, so sorting the strings sorts their bytes.
    by_text = np.array(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.int64)
    spans = list(map(slice, starts[by_text].tolist(), (starts + sizes)[by_text].tolist()))
    encoded = map(str.encode, map(texts.__getitem__, by_text.tolist()))
    doc_lists = map(docs[order].tolist().__getitem__, spans)
    if freqs is None:
        return zip(encoded, doc_lists, strict=True)
    freq_lists = map(freqs[order].tolist().__getitem__, spans)
    return zip(encoded, zip(doc_lists, freq_lists, strict=True), strict=True)
