"""Parsed query -> matching documents (byte masks) and BM25F scores.

Matching reads postings directly, block by block, and turns them into byte
masks (see ``snapshot.py``); scoring runs over the same blocks, restricted to the
documents that matched everything, and only the top ``k`` are kept. A phrase is
first narrowed to the documents holding each pair of its consecutive terms
(the ``pairs`` field): that is the whole, exact answer for two terms; a longer
phrase is then checked on the stored term sequence (``seq`` column) of those
candidates only. Text fields keep no positions (see ``schema.TermCounts``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field

import numpy as np

from kb.search import spelling
from kb.search.analysis import pair_term, raw_term
from kb.search.derivation import RELATED_WEIGHT
from kb.search.querying import Clause, ParsedQuery
from kb.search.schema import TEXT_FIELDS
from kb.search.snapshot import K1, Snapshot, ids_to_mask, mask_flags, mask_ids

# Weight of a word found as written, against its idf (see ``Matcher.exact_boosts``).
EXACT_WEIGHT = 2.0
PAIR_WEIGHT = 3.0  # two query words found next to each other, in that order
EXACT_MAX_SHARE = 0.1  # no exact-form boost for a form in more than this share (and 100) of practices


def phrase_checker(terms: list[str]):
    """A test of a stored term sequence (``analysis.sequence``) for the phrase ``terms``.

    A position may hold several terms ("uni|univoisin"); the plain substring
    search answers every sequence without such alternatives.
    """
    needle = (" " + " ".join(terms) + " ").encode("utf-8")
    alt = [rb"(?:[^ \n|]*\|)*" + re.escape(t.encode("utf-8")) + rb"(?:\|[^ \n|]*)*"
           for t in terms]
    pattern = re.compile(rb" " + rb" ".join(alt) + rb" ")

    def check(seq: bytes) -> bool:
        if needle in seq:
            return True
        return b"|" in seq and pattern.search(seq) is not None

    return check


@dataclass
class Match:
    mask: int
    scored_terms: set[str] = field(default_factory=set)  # terms of required clauses
    clause_masks: list[int] = field(default_factory=list)  # per required clause, live only
    # Terms scored with less weight than the words typed (agent/action partners).
    weights: dict[str, float] = field(default_factory=dict)


def at_least(masks: list[int], base: int) -> list[int]:
    """``out[j]``: documents of ``base`` in at least ``j`` of ``masks`` (j = 0..len(masks))."""
    out = [base] + [0] * len(masks)
    for m in masks:
        for j in range(len(masks), 0, -1):
            out[j] |= out[j - 1] & m
    return out


class Matcher:
    """Per-search memo of postings, masks and alternatives for one snapshot."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self._masks: dict[str, int] = {}
        self._spell: dict[tuple[str, str], int] = {}
        # Thesaurus widenings (``Clause.weight`` < 1): the weight of the terms only they
        # reached, and the documents each one matched (by ``id`` of its clause).
        self.weak: dict[str, float] = {}
        self.strong: set[str] = set()
        self.widened: dict[int, int] = {}

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, frequencies) of ``term`` in ``fieldname`` (the snapshot keeps them)."""
        return self.snap.postings(fieldname, term)

    def _ids_mask(self, ids: list[np.ndarray]) -> int:
        ids = [a for a in ids if len(a)]
        if not ids:
            return 0
        return ids_to_mask(ids[0] if len(ids) == 1 else np.concatenate(ids), self.snap.n)

    def term_mask(self, term: str) -> int:
        if term not in self._masks:
            self._masks[term] = self._ids_mask([self.postings(f, term)[0] for f in TEXT_FIELDS])
        return self._masks[term]

    def word_mask(self, folded: str, fieldname: str = "spell") -> int:
        """Live documents where ``folded`` is written as such (the ``spell`` field)."""
        key = (fieldname, folded)
        if key not in self._spell:
            self._spell[key] = self._ids_mask([self.postings(fieldname, folded)[0]]) & self.snap.live
        return self._spell[key]

    def is_live(self, term: str, fieldname: str = "spell") -> bool:
        """True if a published practice holds ``term`` in ``fieldname`` (deleted ones excluded)."""
        return bool(self.word_mask(term, fieldname))

    def pair_mask(self, a: str, b: str) -> int:
        """Documents where ``b`` follows ``a`` in one text field."""
        term = pair_term(a, b)
        if term not in self._masks:
            self._masks[term] = self._ids_mask([self.postings("pairs", term)[0]])
        return self._masks[term]

    def has_postings(self, term: str) -> bool:
        """True if a live document holds ``term``."""
        return bool(self.term_mask(term) & self.snap.live)

    def alternatives(self, clause: Clause, fuzzy: bool, short: bool = False) -> list[list[str]]:
        """For each position of the clause, the terms that may stand there.

        A word in capitals matches the unstemmed index term of acronyms
        ("CCAPEX": "=ccapex") when the corpus has one; typed in lower case, it
        matches that term or its stem. A word's stem is never swapped for
        another word's: "jeunes", the stem of "jeunesse", is not "jeune".
        """
        reader = self.snap.reader
        out = []
        for term in clause.terms:
            alts = [term]
            if clause.raw and len(clause.terms) == 1:
                raw = raw_term(clause.raw)
                if self.has_postings(raw):
                    typed = clause.words[0] if clause.words else ""
                    alts = [raw] if typed.isupper() else [term, raw]
            if len(clause.terms) == 1:
                alts += [r for r in clause.related if self.has_postings(r)]
            # Fuzzy for words of 5+ letters, and of 4 when nothing else matched
            # (``short``): "loi" must never become "loyer".
            if (fuzzy and len(clause.terms) == 1 and not clause.phrase
                    and len(term) >= (4 if short else 5)):
                found = set(alts)
                for word in spelling.near_words(reader, clause.raw or term):
                    if self.is_live(word):
                        found.add(spelling.stem(word))
                if len(term) >= 5:
                    for f in TEXT_FIELDS:
                        try:
                            found.update(t if isinstance(t, str) else t.decode("utf-8")
                                         for t in reader.terms_within(f, term, 1, prefix=1))
                        except Exception:  # noqa: S112 - a field without terms
                            continue
                alts = sorted(found)
            out.append(alts)
        return out

    def clause_mask(self, clause: Clause, fuzzy: bool, scored: set[str],
                    short: bool = False) -> int:
        strong: set[str] = set()
        mask = self._own_mask(clause, fuzzy, strong, short)
        for alt in clause.synonyms:
            if alt.weight >= 1:  # the glossary's acronyms count as the typed word
                mask |= self._own_mask(alt, False, strong)
                continue
            reached: set[str] = set()
            found = self._own_mask(alt, False, reached)
            self.widened[id(alt)] = self.widened.get(id(alt), 0) | found
            for term in reached:
                self.weak[term] = max(self.weak.get(term, 0.0), alt.weight)
            scored |= reached
            mask |= found
        scored |= strong
        self.strong |= strong
        return mask

    def term_weight(self, term: str) -> float:
        """1 for a typed term, less for one only a thesaurus widening reached."""
        return 1.0 if term in self.strong else self.weak.get(term, 1.0)

    def _own_mask(self, clause: Clause, fuzzy: bool, scored: set[str], short: bool = False) -> int:
        alts = self.alternatives(clause, fuzzy, short)
        mask = self.snap.live
        for options in alts:
            m = 0
            for t in options:
                m |= self.term_mask(t)
            mask &= m
            scored.update(options)
        if clause.joined is not None:
            mask |= self.term_mask(clause.joined) & self.snap.live
            scored.add(clause.joined)
        elif clause.phrase and mask:
            terms = clause.terms
            for a, b in zip(terms, terms[1:], strict=False):
                mask &= self.pair_mask(a, b)
                if not mask:
                    break
            if len(terms) > 2 and mask:
                mask &= self._phrase_mask(terms, mask)
        return mask

    def _phrase_mask(self, terms: list[str], candidates: int) -> int:
        """Candidates where ``terms`` occur at consecutive positions in one field."""
        snap = self.snap
        check = phrase_checker(terms)
        found = [d for d in mask_ids(candidates, snap.n) if check(snap.seq(d))]
        return ids_to_mask(found, snap.n) if found else 0

    def match(self, pq: ParsedQuery, fuzzy_for: Container[int] = (), short: bool = False) -> Match:
        """Documents matching every required clause (and no excluded one).

        ``fuzzy_for``: indexes of the required clauses also matched by near
        spellings (``short``: 4-letter words too). All clause masks are computed,
        even after the AND is empty: partial matching (``searching.py``) needs them.
        """
        scored: set[str] = set()
        excluded = 0
        for clause in pq.excluded:
            excluded |= self.clause_mask(clause, False, set())
        base = self.snap.live & ~excluded
        masks = [self.clause_mask(clause, i in fuzzy_for, scored, short) & base
                 for i, clause in enumerate(pq.required)]
        mask = base
        for m in masks:
            mask &= m
        typed = {t for clause in pq.required for t in clause.terms}
        weights = {r: RELATED_WEIGHT for clause in pq.required for r in clause.related
                   if r not in typed and r in scored}
        return Match(mask, scored, masks, weights)

    def exact_boosts(self, pq: ParsedQuery) -> list[tuple[int, float]]:
        """(documents, weight) for each word of the query found as written (accents folded).

        A word typed exactly as a practice writes it outranks a match on its stem only.
        """
        n = max(self.snap.doc_count, 1)
        reader = self.snap.reader
        out = []
        for clause in pq.required:
            if clause.raw is None or len(clause.terms) != 1:
                continue
            # A form most practices use tells little, and its postings cost most.
            if reader.doc_frequency("spell", clause.raw) > max(n * EXACT_MAX_SHARE, 100):
                continue
            mask = self.word_mask(clause.raw)
            df = mask.bit_count()
            if df:
                out.append((mask, EXACT_WEIGHT * math.log(1 + (n - df + 0.5) / (df + 0.5))))
        # Words typed one after the other and written so ("chantier jeunes"): one
        # lookup in the ``pairs`` field per pair.
        for a, b in zip(pq.required, pq.required[1:], strict=False):
            if len(a.terms) == 1 and len(b.terms) == 1 and not a.phrase and not b.phrase:
                mask = self.pair_mask(a.terms[0], b.terms[0]) & self.snap.live
                df = mask.bit_count()
                if df:
                    out.append((mask, PAIR_WEIGHT * math.log(1 + (n - df + 0.5) / (df + 0.5))))
        return out

    def top(self, terms: set[str], candidates: int | None, k: int, exclude: int = -1,
            boosts: list[tuple[int, float]] = (),
            coord: list[tuple[int, float]] = (),
            weights: Mapping[str, float] | None = None) -> list[tuple[int, float]]:
        """The ``k`` best (docnum, BM25F score) among ``candidates`` (None: any doc).

        ``boosts``: (mask, weight) added to the documents of each mask.
        ``coord``: (mask, weight) of each query clause (partial results): documents
        are ranked first by how many clauses they match, then by their score
        multiplied by the share of the clauses' weight (idf) they match; the
        scores of each group are kept below the previous group's.
        ``weights``: term -> multiplier of its BM25 weight (1 when absent).
        Equal scores keep docnum order.
        """
        if k <= 0:
            return []
        snap = self.snap
        reader = snap.reader
        n = max(snap.doc_count, 1)
        scores = np.zeros(snap.n, np.float64)
        scored = np.zeros(snap.n, np.bool_)
        for term in sorted(terms):  # a fixed order: the float sums do not move between runs
            for f, boost in TEXT_FIELDS.items():
                ids, tf = self.postings(f, term)
                if not len(ids):
                    continue
                df = reader.doc_frequency(f, term)
                w = (boost * math.log(1 + (n - df + 0.5) / (df + 0.5)) * (K1 + 1)
                     * self.term_weight(term))
                if weights:
                    w *= weights.get(term, 1.0)
                scores[ids] += w * tf / (tf + snap.norms[f][ids])
                scored[ids] = True
        if candidates is not None:
            scored &= mask_flags(candidates, snap.n)
        if 0 <= exclude < snap.n:
            scored[exclude] = False
        for mask, weight in boosts:
            if candidates is not None:
                mask &= candidates
                if mask == candidates:
                    continue  # every candidate has the form: the order cannot change
            if mask:
                scores[mask_flags(mask, snap.n) & scored] += weight
        docs = np.flatnonzero(scored)
        if coord and len(docs):
            return _by_clauses(docs, scores[docs], coord, snap.n, k)
        values = scores[docs]
        if len(docs) > k:
            keep = np.argpartition(-values, k - 1)[:k]
            # the k-th score may be shared: take every doc holding it, then cut in order
            keep = np.flatnonzero(values >= values[keep].min())
            docs, values = docs[keep], values[keep]
        order = np.lexsort((docs, -values))[:k]
        return list(zip(docs[order].tolist(), values[order].tolist(), strict=True))


def _by_clauses(docs: np.ndarray, values: np.ndarray, coord: list[tuple[int, float]], n: int,
                k: int) -> list[tuple[int, float]]:
    """The ``k`` best of ``docs``: most clauses matched first, then score x weight share."""
    total = sum(w for _, w in coord) or 1.0
    share = np.zeros(len(docs), np.float64)
    matched = np.zeros(len(docs), np.int64)
    for m, w in coord:
        held = mask_flags(m, n)[docs]
        share += held * w
        matched += held
    values = values * (share / total)
    order = np.lexsort((docs, -values, -matched))[:k]
    out: list[tuple[int, float]] = []
    group_top = prev_low = None
    scale = 1.0
    last_count = None
    for i in order.tolist():
        value = float(values[i])
        if matched[i] != last_count:  # a new group: its scores start below the previous one's
            last_count, group_top = matched[i], value
            scale = 1.0
            if prev_low is not None and group_top >= prev_low and group_top > 0:
                scale = 0.99 * prev_low / group_top
        value *= scale
        out.append((int(docs[i]), value))
        prev_low = value
    return out
