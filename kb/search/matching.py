"""Parsed query -> matching documents (byte masks) and BM25F scores.

Matching reads postings directly, block by block, and turns them into byte
masks (see ``snapshot.py``); scoring runs over the same blocks, restricted to the
documents that matched everything, and only the top ``k`` are kept. A phrase is
first narrowed to the documents holding each pair of its consecutive terms
(the ``pairs`` field): that is the whole, exact answer for two terms; a longer
phrase is then checked on positions, for those candidates only.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from operator import itemgetter

from kb.search import spelling
from kb.search.analysis import pair_term
from kb.search.querying import Clause, ParsedQuery
from kb.search.schema import TEXT_FIELDS
from kb.search.snapshot import K1, Snapshot, decode_positions, ids_to_mask, read_postings


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
        allowed = candidates.to_bytes(snap.n, "little")
        found = bytearray(snap.n)
        for f in TEXT_FIELDS:
            per_term = []
            for t in terms:
                values = {}
                for segreader, offset in snap.leaves:
                    for ids, _, vals in read_postings(segreader, f, t, values=True):
                        for i, v in zip(ids, vals, strict=False):
                            g = i + offset
                            if allowed[g] and not found[g]:
                                values[g] = v
                if not values:
                    break
                per_term.append(values)
            else:
                common = set(per_term[0]).intersection(*per_term[1:])
                rest = range(1, len(terms))
                for g in common:
                    sets = [decode_positions(pt[g]) for pt in per_term]
                    first = sets[0]
                    if any(all(p + i in sets[i] for i in rest) for p in first):
                        found[g] = 1
        return int.from_bytes(found, "little")

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
                    for d, tf in zip(ids, weights, strict=False):
                        if allowed is None or allowed[d]:
                            scores[d] = get(d, 0.0) + w * tf / (tf + norm[d])
        scores.pop(exclude, None)
        return heapq.nlargest(k, scores.items(), key=itemgetter(1))
