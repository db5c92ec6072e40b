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

import heapq
import math
import re
from dataclasses import dataclass, field
from operator import itemgetter

from kb.search import spelling
from kb.search.analysis import pair_term
from kb.search.querying import Clause, ParsedQuery
from kb.search.schema import TEXT_FIELDS
from kb.search.snapshot import K1, Snapshot, ids_to_mask, mask_ids


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


class Matcher:
    """Per-search memo of postings, masks and alternatives for one snapshot."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self._postings: dict[tuple[str, str], list] = {}
        self._masks: dict[str, int] = {}

    def postings(self, fieldname: str, term: str) -> list:
        key = (fieldname, term)
        if key not in self._postings:
            self._postings[key] = self.snap.postings(fieldname, term)
        return self._postings[key]

    def term_mask(self, term: str) -> int:
        if term not in self._masks:
            ids = [i for f in TEXT_FIELDS for ids, _ in self.postings(f, term) for i in ids]
            self._masks[term] = ids_to_mask(ids, self.snap.n) if ids else 0
        return self._masks[term]

    def pair_mask(self, a: str, b: str) -> int:
        """Documents where ``b`` follows ``a`` in one text field."""
        term = pair_term(a, b)
        if term not in self._masks:
            ids = [i for ids, _ in self.postings("pairs", term) for i in ids]
            self._masks[term] = ids_to_mask(ids, self.snap.n) if ids else 0
        return self._masks[term]

    def has_postings(self, term: str) -> bool:
        reader = self.snap.reader
        return any((f, term) in reader for f in TEXT_FIELDS)

    def alternatives(self, clause: Clause, fuzzy: bool) -> list[list[str]]:
        """For each position of the clause, the terms that may stand there."""
        reader = self.snap.reader
        out = []
        for term in clause.terms:
            alts = [term]
            if clause.raw and clause.raw != term and self.has_postings(clause.raw):
                alts = [clause.raw]  # an acronym indexed unstemmed ("ccapex")
            # Fuzzy only for words of 5+ letters: "loi" must not become "loyer".
            if fuzzy and len(clause.terms) == 1 and not clause.phrase and len(term) >= 5:
                found = set(alts)
                for word in spelling.fuzzy_words(reader, clause.raw or term, 1):
                    found.add(spelling.stem(word))
                for f in TEXT_FIELDS:
                    try:
                        found.update(t if isinstance(t, str) else t.decode("utf-8")
                                     for t in reader.terms_within(f, term, 1, prefix=1))
                    except Exception:  # noqa: S112 - a field without terms
                        continue
                alts = sorted(found)
            out.append(alts)
        return out

    def clause_mask(self, clause: Clause, fuzzy: bool, scored: set[str]) -> int:
        alts = self.alternatives(clause, fuzzy)
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

    def match(self, pq: ParsedQuery, fuzzy: bool = False) -> Match:
        scored: set[str] = set()
        mask = self.snap.live
        for clause in pq.required:
            mask &= self.clause_mask(clause, fuzzy, scored)
            if not mask:
                break
        for clause in pq.excluded:
            if mask:
                mask &= ~self.clause_mask(clause, False, set())
        return Match(mask, scored)

    def top(self, terms: set[str], candidates: int | None, k: int,
            exclude: int = -1) -> list[tuple[int, float]]:
        """The ``k`` best (docnum, BM25F score) among ``candidates`` (None: any doc)."""
        snap = self.snap
        reader = snap.reader
        n = max(snap.doc_count, 1)
        allowed = candidates.to_bytes(snap.n, "little") if candidates is not None else None
        scores: dict[int, float] = {}
        get = scores.get
        for term in terms:
            for f, boost in TEXT_FIELDS.items():
                blocks = self.postings(f, term)
                if not blocks:
                    continue
                df = reader.doc_frequency(f, term)
                w = boost * math.log(1 + (n - df + 0.5) / (df + 0.5)) * (K1 + 1)
                norm = snap.norms[f]
                for ids, weights in blocks:
                    if allowed is None:
                        for d, tf in zip(ids, weights, strict=False):
                            scores[d] = get(d, 0.0) + w * tf / (tf + norm[d])
                    else:
                        for d, tf in zip(ids, weights, strict=False):
                            if allowed[d]:
                                scores[d] = get(d, 0.0) + w * tf / (tf + norm[d])
        scores.pop(exclude, None)
        return heapq.nlargest(k, scores.items(), key=itemgetter(1))
