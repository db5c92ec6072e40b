"""One search over one snapshot: match, facets, rank, snippets, suggestion.

Matching (``match_text``), filters applied first: documents with every word;
when fewer than ``FEW_RESULTS`` remain, near spellings of the words found
nowhere; when still too few, the documents with most of the words
(``_partial_pool``), ranked after the full matches by BM25F times the share
of the words' weight (idf) they hold. "Did you mean" runs only when the words
as typed found little.

Facet counts: for each facet, the documents matching the text and every OTHER
active filter, ANDed with each value's mask and popcounted. So the counts of a
facet ignore its own filter (a user can widen it), filters are OR within a
facet and AND across facets, and counts are exact.
"""

from __future__ import annotations

import heapq
import json
import math
from dataclasses import dataclass, field
from functools import reduce
from itertools import compress, islice
from operator import or_

import numpy as np

from kb.search import spelling
from kb.search.analysis import terms as analyze_terms
from kb.search.documents import FACETS, SORTS, FacetCount, Hit, SearchQuery, SearchResponse
from kb.search.matching import Match, Matcher, at_least
from kb.search.places import term_places
from kb.search.querying import Clause, ParsedQuery, parse
from kb.search.snapshot import Snapshot, mask_flags
from kb.search.snippets import snippets, truncate
from kb.search.thesaurus import widen
from kb.taxonomy import fold

MAX_LIMIT = 500
MAX_OFFSET = 10_000
FEW_RESULTS = 3
MSG_NO_WORDS = "Aucun mot utilisable dans la recherche : essayez des mots plus précis."
MSG_TRUNCATED = "La recherche était trop longue : seuls les premiers mots ont été utilisés."


def _filter_masks(snap: Snapshot, filters: dict) -> dict[str, int]:
    masks = {}
    for facet, slugs in (filters or {}).items():
        if facet not in snap.facet_masks or not slugs:
            continue
        if isinstance(slugs, str):
            slugs = (slugs,)
        values = snap.facet_masks[facet]
        m = 0
        for slug in slugs:
            m |= values.get(str(slug), 0)
        masks[facet] = m
    return masks


def _facets(snap: Snapshot, base: int, fmasks: dict[str, int]) -> dict[str, list[FacetCount]]:
    # Facets not filtered all count over one set of documents (the matches and every
    # filter): counted together; a filtered facet ignores its own filter.
    counts: dict[str, np.ndarray] = {}
    shared = base
    for m in fmasks.values():
        shared &= m
    if shared:
        flags = mask_flags(shared, snap.n)
        counts = snap.facet_counts(flags, np.flatnonzero(flags))
    out = {}
    for facet in FACETS:
        found = counts.get(facet)
        if facet in fmasks:
            b = base
            for other, m in fmasks.items():
                if other != facet:
                    b &= m
            found = None
            if b:
                flags = mask_flags(b, snap.n)
                found = snap.facet_postings(facet).counts(flags, np.flatnonzero(flags))
        values = []
        if found is not None:
            slugs, masks = snap.facet_postings(facet).slugs, snap.facet_masks[facet]
            values = [FacetCount(slugs[i], snap.label(facet, slugs[i], masks[slugs[i]]), int(found[i]))
                      for i in np.flatnonzero(found).tolist()]
        values.sort(key=lambda v: (-v.count, fold(v.label), v.value))
        out[facet] = values
    return out


def _ordered(snap: Snapshot, mask: int, key: str, k: int) -> list[int]:
    """First ``k`` docnums of ``mask`` in title order or most recent first."""
    order = snap.order(key)
    flags = mask.to_bytes(snap.n, "little")
    return list(islice(compress(order, map(flags.__getitem__, order)), k))


def _facts(stored: dict) -> dict[str, tuple[str, ...]]:
    """Facet labels of a stored document ("landlord" -> ("Paris Habitat",))."""
    labels = json.loads(stored.get("labels") or "{}")
    return {facet: tuple(label for _, label in values) for facet, values in labels.items()}


def _hits(snap: Snapshot, ranked: list[tuple[int, float]], wanted: set[str],
          missing_of=None) -> list[Hit]:
    docs = [snap.document(docnum) for docnum, _ in ranked]
    stored_list = [stored for stored, _ in docs]
    pairs = [(s.get("summary", ""), s.get("body_text", "")) for s in stored_list]
    for (summary, body), (_, places) in zip(pairs, docs, strict=True):
        if wanted and places[0] is None:
            places[:] = [term_places(summary), term_places(body)]
    texts = snippets(pairs, wanted, [tuple(places) for _, places in docs])
    hits = []
    for (docnum, score), stored, text in zip(ranked, stored_list, texts, strict=True):
        missing = missing_of(docnum) if missing_of else ()
        facts = stored.get(" facts")  # parsed once per kept document (``Snapshot.document``)
        if facts is None:
            facts = stored[" facts"] = _facts(stored)
        hits.append(Hit(stored["slug"], stored.get("title", ""), round(score, 4), text,
                        missing, facts))
    return hits


def _clause_words(clause: Clause) -> str:
    return " ".join(clause.words) if clause.words else " ".join(clause.terms)


def _count(mask: int, within: int) -> int:
    return (mask & within).bit_count()


def _retry_fuzzy(matcher: Matcher, pq: ParsedQuery, found: Match, within: int) -> Match:
    """The query again with near spellings of its unknown words (or of its only word)."""
    count = _count(found.mask, within)
    unknown = {i for i, m in enumerate(found.clause_masks) if not m & within}
    retry = {0} if len(pq.required) == 1 else unknown
    if not retry:
        return found
    fuzzy = matcher.match(pq, fuzzy_for=retry, short=count == 0)

    def quality(m: Match) -> tuple[int, int]:
        return _count(m.mask, within), sum(1 for c in m.clause_masks if c & within)

    return fuzzy if quality(fuzzy) > quality(found) else found


def _partial_pool(found: Match, within: int) -> int | None:
    """Documents matching enough of the words, when too few match them all.

    The bar goes down one word at a time from all-but-one, and stops at the
    first level giving ``FEW_RESULTS`` practices within the filters; below
    half the words, any practice at all will do.
    """
    masks = found.clause_masks
    n = len(masks)
    if n < 2:
        return None
    levels = at_least(masks, found.mask | reduce(or_, masks, 0))
    floor = max(1, (n + 1) // 2)
    for j in range(n - 1, 0, -1):
        c = _count(levels[j], within)
        if c >= FEW_RESULTS or (j <= floor and c):
            return levels[j] if levels[j] & within & ~found.mask else None
    return None


def _rank(matcher: Matcher, pq: ParsedQuery, scored: set[str], full: int, rest: int,
          coord: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
    """Full matches first, then partial ones (their scores kept below the full ones)."""
    boosts = matcher.exact_boosts(pq)
    ranked = matcher.top(scored, full, k, boosts=boosts) if full else []
    if rest and len(ranked) < k:
        more = matcher.top(scored, rest, k - len(ranked), boosts=boosts, coord=coord)
        if ranked and more and more[0][1] >= ranked[-1][1]:
            scale = 0.99 * ranked[-1][1] / more[0][1]
            more = [(d, s * scale) for d, s in more]
        ranked += more
    return ranked


@dataclass
class TextMatch:
    """What the words of a query select, before filters, sort and pages."""

    full: int  # documents with every word (or near spellings)
    text_mask: int  # full, or the partial pool when there is one
    scored: set[str] = field(default_factory=set)
    partial: bool = False
    clause_masks: list[int] = field(default_factory=list)
    coord: list[tuple[int, float]] = field(default_factory=list)
    missing_terms: list[str] = field(default_factory=list)
    suggestion: str | None = None

    def missing_of(self, pq: ParsedQuery, n: int):
        """docnum -> the words it lacks (partial results only), or None."""
        if not self.partial:
            return None
        flags = [(c, m.to_bytes(n, "little")) for c, m in zip(pq.required, self.clause_masks,
                                                               strict=True)]
        return lambda docnum: tuple(_clause_words(c) for c, f in flags if not f[docnum])


def match_text(snap: Snapshot, matcher: Matcher, pq: ParsedQuery, within: int) -> TextMatch:
    """Every word; else near spellings of unknown words; else some of the words.

    ``within``: the live documents the filters keep (filters apply first).
    """
    found = matcher.match(pq)
    as_typed = _count(found.mask, within)
    if pq.required and as_typed < FEW_RESULTS:
        found = _retry_fuzzy(matcher, pq, found, within)
    tm = TextMatch(found.mask, found.mask, found.scored_terms, clause_masks=found.clause_masks)
    if pq.required and _count(found.mask, within) < FEW_RESULTS:
        pool = _partial_pool(found, within)
        if pool is not None:
            n = max(snap.doc_count, 1)
            tm.text_mask, tm.partial = pool, True
            tm.coord = [(m, math.log(1 + n / (m.bit_count() or 1))) for m in found.clause_masks]
            tm.missing_terms = [_clause_words(c) for c, m in
                                zip(pq.required, found.clause_masks, strict=True) if not m & within]
    if pq.required and as_typed < FEW_RESULTS:
        # Useful only when the words as typed found little; results found by near
        # spellings then say which spelling was used.
        tm.suggestion = spelling.suggest(snap.reader, pq.text, matcher.has_postings,
                                         matcher.is_live)
    return tm


def run_search(snap: Snapshot, q: SearchQuery) -> SearchResponse:
    limit = max(0, min(int(q.limit), MAX_LIMIT))
    offset = max(0, min(int(q.offset), MAX_OFFSET))
    sort = q.sort if q.sort in SORTS else "relevance"
    pq = parse(q.text, q.synonyms)
    pq.required = widen(pq.required, q.thesaurus)  # thesaurus
    message = MSG_TRUNCATED if pq.truncated else None
    if pq.is_empty and pq.text.strip():
        return SearchResponse(0, [], {f: [] for f in FACETS}, None, MSG_NO_WORDS)
    fmasks = _filter_masks(snap, q.filters)
    within = snap.live
    for m in fmasks.values():
        within &= m
    matcher = Matcher(snap)
    tm = (TextMatch(snap.live, snap.live) if pq.is_empty
          else match_text(snap, matcher, pq, within))
    final = tm.text_mask & within
    total = final.bit_count()
    facets = _facets(snap, tm.text_mask, fmasks)
    k = offset + limit
    if not tm.scored and sort == "relevance":
        sort = "title"
    if k == 0 or not final:
        ranked = []
    elif sort == "relevance":
        rest = final & ~tm.full if tm.partial else 0
        ranked = _rank(matcher, pq, tm.scored, tm.full & within, rest, tm.coord, k)[offset:]
    else:
        ranked = [(d, 0.0) for d in _ordered(snap, final, sort, k)[offset:]]
    hits = _hits(snap, ranked, tm.scored, tm.missing_of(pq, snap.n))
    return SearchResponse(total, hits, facets, tm.suggestion, message, partial=tm.partial,
                          missing_terms=tm.missing_terms,
                          expanded=_expanded(matcher, pq, final))  # thesaurus


def _expanded(matcher: Matcher, pq: ParsedQuery, final: int) -> list[str]:
    """The thesaurus terms some result holds (as written in the thesaurus), once each."""
    found = [alt.label for clause in pq.required for alt in clause.synonyms
             if alt.label and matcher.widened.get(id(alt), 0) & final]
    return list(dict.fromkeys(found))


def related(matcher: Matcher, text: str, limit: int, exclude: int = -1) -> list[Hit]:
    """Practices sharing the most distinctive words of ``text`` (OR semantics)."""
    snap = matcher.snap
    reader = snap.reader
    n = max(snap.doc_count, 1)
    tf: dict[str, int] = {}
    for term in analyze_terms(text):
        tf[term] = tf.get(term, 0) + 1
    weighted = []
    for term, count in tf.items():
        df = reader.doc_frequency("body", term) + reader.doc_frequency("title", term)
        if 0 < df < n * 0.5:
            weighted.append((count / df, term))
    chosen = {t for _, t in heapq.nlargest(15, weighted)}
    if not chosen:
        return []
    ranked = matcher.top(chosen, snap.live, limit, exclude=exclude)
    hits = []
    for docnum, score in ranked:
        stored = snap.searcher.stored_fields(docnum)
        hits.append(Hit(stored["slug"], stored.get("title", ""), round(score, 4),
                        truncate(stored.get("summary", ""))))
    return hits
