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
import re
from dataclasses import dataclass, field
from functools import reduce
from itertools import compress, islice
from operator import or_

import numpy as np

from kb.search import lexicon, spelling
from kb.search.analysis import terms as analyze_terms
from kb.search.documents import FACETS, SORTS, FacetCount, Hit, SearchQuery, SearchResponse
from kb.search.matching import Match, Matcher, at_least
from kb.search.places import term_places
from kb.search.querying import Clause, ParsedQuery, parse
from kb.search.snapshot import Snapshot, mask_flags, mask_ids
from kb.search.snippets import snippets, truncate
from kb.search.thesaurus import widen
from kb.taxonomy import fold

MAX_LIMIT = 500
MAX_OFFSET = 10_000
FEW_RESULTS = 3
PARTIAL_ENOUGH = 10  # partial matches go one word deeper until they fill a page
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


def _typo_candidate(matcher: Matcher, clause: Clause) -> bool:
    """True if the clause's word may be a typo: not a real word, not written so anywhere.

    A French (or English) word is never read as another one ("motos" is not "mots").
    """
    if clause.raw is None or len(clause.terms) != 1 or clause.phrase:
        return False
    return not lexicon.is_word(clause.raw) and not matcher.is_live(clause.raw)


def _retry_fuzzy(matcher: Matcher, pq: ParsedQuery, found: Match, within: int) -> Match:
    """The query again with near spellings of its unknown words (or of its only word),
    for the words that are not real words."""
    count = _count(found.mask, within)
    unknown = {i for i, m in enumerate(found.clause_masks) if not m & within}
    retry = {0} if len(pq.required) == 1 else unknown
    retry = {i for i in retry if _typo_candidate(matcher, pq.required[i])}
    if not retry:
        return found
    fuzzy = matcher.match(pq, fuzzy_for=retry, short=count == 0)

    def quality(m: Match) -> tuple[int, int]:
        return _count(m.mask, within), sum(1 for c in m.clause_masks if c & within)

    return fuzzy if quality(fuzzy) > quality(found) else found


def _partial_pool(found: Match, within: int) -> int | None:
    """Documents matching enough of the words, when too few match them all.

    Only the words some practice (within the filters) holds count: a word found
    nowhere does not cost a known word its place. The bar goes down one word at
    a time, from all the known words (all but one when every word is known), and
    stops at the first level giving ``PARTIAL_ENOUGH`` practices within the
    filters, or at one word. Ranking then puts more words first (``Matcher.top``).
    """
    masks = [m for m in found.clause_masks if m & within]
    if not masks or (len(masks) == len(found.clause_masks) and len(masks) < 2):
        return None
    levels = at_least(masks, reduce(or_, masks, 0))
    top = len(masks) - 1 if len(masks) == len(found.clause_masks) else len(masks)
    for j in range(top, 0, -1):
        if _count(levels[j], within) >= PARTIAL_ENOUGH or j == 1:
            pool = levels[j] | found.mask
            return pool if pool & within & ~found.mask else None
    return None


def _rank(matcher: Matcher, pq: ParsedQuery, tm: TextMatch, candidates: int,
          k: int) -> list[tuple[int, float]]:
    """Full matches first, then partial ones by words matched (``Matcher.top``'s ``coord``)."""
    boosts = matcher.exact_boosts(pq)
    return matcher.top(tm.scored, candidates, k, boosts=boosts, coord=tm.coord if tm.partial
                       else (), weights=tm.weights)


@dataclass
class TextMatch:
    """What the words of a query select, before filters, sort and pages."""

    full: int  # documents with every word (or near spellings)
    text_mask: int  # full, or the partial pool when there is one
    scored: set[str] = field(default_factory=set)
    partial: bool = False  # the partial pool was added to the full matches
    clause_masks: list[int] = field(default_factory=list)
    coord: list[tuple[int, float]] = field(default_factory=list)
    missing_terms: list[str] = field(default_factory=list)
    suggestion: str | None = None
    unknown_terms: list[str] = field(default_factory=list)  # in no published practice
    weights: dict[str, float] = field(default_factory=dict)

    def missing_of(self, pq: ParsedQuery, n: int):
        """docnum -> the words it lacks (partial results only), or None."""
        if not self.partial:
            return None
        flags = [(c, m.to_bytes(n, "little")) for c, m in zip(pq.required, self.clause_masks,
                                                               strict=True)]
        return lambda docnum: tuple(_clause_words(c) for c, f in flags if not f[docnum])


def _unknown(matcher: Matcher, pq: ParsedQuery, found: Match) -> list[str]:
    """Words of the query that no published practice holds, in any form (as typed)."""
    out = []
    for clause, mask in zip(pq.required, found.clause_masks, strict=True):
        if not mask and not matcher.clause_mask(clause, False, set()) & matcher.snap.live:
            out.append(_clause_words(clause))
    return out


def _suggestion(snap: Snapshot, matcher: Matcher, pq: ParsedQuery, within: int, as_typed: int,
                synonyms) -> str | None:
    """ "Did you mean", kept only when the corrected words find more practices."""
    text = spelling.suggest(snap.reader, pq.text, matcher.has_postings, matcher.is_live,
                            lexicon.is_word, lambda word: _standalone(snap, matcher, word))
    if text is None:
        return None
    corrected = matcher.match(parse(text, synonyms))
    return text if _count(corrected.mask, within) > as_typed else None


_COMPOUND_JOIN = "-\u2010\u2011"


def _standalone(snap: Snapshot, matcher: Matcher, word: str, sample: int = 3) -> bool:
    """True if a practice writes ``word`` (folded) on its own, not only as a part of a
    compound ("delà" of "au-delà", "uni" of "Uni-Voisins")."""
    pattern = re.compile(rf"(?<![{_COMPOUND_JOIN}])\b{re.escape(word)}\b(?![{_COMPOUND_JOIN}]\w)")
    for docnum in islice(mask_ids(matcher.word_mask(word), snap.n), sample):
        stored = snap.searcher.stored_fields(docnum)
        names = [label for labels in _facts(stored).values() for label in labels]
        text = " ".join((stored.get("title", ""), stored.get("summary", ""),
                         stored.get("body_text", ""), *names))
        if pattern.search(fold(text)):
            return True
    return False


def match_text(snap: Snapshot, matcher: Matcher, pq: ParsedQuery, within: int,
               synonyms=()) -> TextMatch:
    """Every word; else near spellings of unknown words; else some of the words.

    ``within``: the live documents the filters keep (filters apply first).
    ``synonyms``: the glossary pairs, to count what a suggestion would find.
    """
    found = matcher.match(pq)
    as_typed = _count(found.mask, within)
    if pq.required and as_typed < FEW_RESULTS:
        found = _retry_fuzzy(matcher, pq, found, within)
    tm = TextMatch(found.mask, found.mask, found.scored_terms, clause_masks=found.clause_masks,
                   weights=found.weights)
    if pq.required and _count(found.mask, within) < FEW_RESULTS:
        tm.unknown_terms = _unknown(matcher, pq, found)
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
        tm.suggestion = _suggestion(snap, matcher, pq, within, as_typed, synonyms)
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
          else match_text(snap, matcher, pq, within, q.synonyms))
    final = tm.text_mask & within
    total = final.bit_count()
    facets = _facets(snap, tm.text_mask, fmasks)
    k = offset + limit
    if not tm.scored and sort == "relevance":
        sort = "title"
    if k == 0 or not final:
        ranked = []
    elif sort == "relevance":
        ranked = _rank(matcher, pq, tm, final, k)[offset:]
    else:
        ranked = [(d, 0.0) for d in _ordered(snap, final, sort, k)[offset:]]
    hits = _hits(snap, ranked, tm.scored, tm.missing_of(pq, snap.n))
    # "No practice holds every word" only when it is true: none within the filters does.
    partial = tm.partial and not tm.full & within
    return SearchResponse(total, hits, facets, tm.suggestion, message, partial=partial,
                          missing_terms=tm.missing_terms, unknown_terms=tm.unknown_terms,
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
