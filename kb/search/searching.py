"""One search over one snapshot: match, facets, rank, snippets, suggestion.

Facet counts: for each facet, the documents matching the text and every OTHER
active filter, ANDed with each value's mask and popcounted. So the counts of a
facet ignore its own filter (a user can widen it), filters are OR within a
facet and AND across facets, and counts are exact.
"""

from __future__ import annotations

import heapq
from itertools import compress, islice

from kb.search import spelling
from kb.search.analysis import terms as analyze_terms
from kb.search.documents import FACETS, SORTS, FacetCount, Hit, SearchQuery, SearchResponse
from kb.search.matching import Matcher
from kb.search.querying import parse
from kb.search.snapshot import Snapshot
from kb.search.snippets import snippet, truncate
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
    out = {}
    for facet in FACETS:
        b = base
        for other, m in fmasks.items():
            if other != facet:
                b &= m
        counts = []
        if b:
            for slug, m in snap.facet_masks[facet].items():
                c = (b & m).bit_count()
                if c:
                    counts.append((slug, m, c))
        values = [FacetCount(slug, snap.label(facet, slug, m), c) for slug, m, c in counts]
        values.sort(key=lambda v: (-v.count, fold(v.label), v.value))
        out[facet] = values
    return out


def _ordered(snap: Snapshot, mask: int, key: str, k: int) -> list[int]:
    """First ``k`` docnums of ``mask`` in title order or most recent first."""
    order = snap.order(key)
    flags = mask.to_bytes(snap.n, "little")
    return list(islice(compress(order, map(flags.__getitem__, order)), k))


def _hits(snap: Snapshot, ranked: list[tuple[int, float]], wanted: set[str]) -> list[Hit]:
    hits = []
    for docnum, score in ranked:
        stored = snap.searcher.stored_fields(docnum)
        summary = stored.get("summary", "")
        text = snippet(summary, stored.get("body_text", ""), wanted) if wanted else truncate(summary)
        hits.append(Hit(stored["slug"], stored.get("title", ""), round(score, 4), text))
    return hits


def run_search(snap: Snapshot, q: SearchQuery) -> SearchResponse:
    limit = max(0, min(int(q.limit), MAX_LIMIT))
    offset = max(0, min(int(q.offset), MAX_OFFSET))
    sort = q.sort if q.sort in SORTS else "relevance"
    pq = parse(q.text)
    message = MSG_TRUNCATED if pq.truncated else None
    if pq.is_empty and pq.text.strip():
        return SearchResponse(0, [], {f: [] for f in FACETS}, None, MSG_NO_WORDS)
    fmasks = _filter_masks(snap, q.filters)
    matcher = Matcher(snap)
    suggestion = None
    if pq.is_empty:
        text_mask, scored = snap.live, set()
    else:
        found = matcher.match(pq)
        text_mask, scored = found.mask, found.scored_terms
        final = text_mask
        for m in fmasks.values():
            final &= m
        if pq.required and final.bit_count() < FEW_RESULTS:
            fuzzy = matcher.match(pq, fuzzy=True)
            widened = fuzzy.mask
            for m in fmasks.values():
                widened &= m
            if widened.bit_count() > final.bit_count():
                text_mask, scored = fuzzy.mask, fuzzy.scored_terms
        if pq.required:
            suggestion = spelling.suggest(snap.reader, pq.text, matcher.has_postings)
    final = text_mask
    for m in fmasks.values():
        final &= m
    total = final.bit_count()
    facets = _facets(snap, text_mask, fmasks)
    k = offset + limit
    if not scored and sort == "relevance":
        sort = "title"
    if k == 0 or not final:
        ranked = []
    elif sort == "relevance":
        ranked = matcher.top(scored, final, k)[offset:]
    else:
        ranked = [(d, 0.0) for d in _ordered(snap, final, sort, k)[offset:]]
    return SearchResponse(total, _hits(snap, ranked, scored), facets, suggestion, message)


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
