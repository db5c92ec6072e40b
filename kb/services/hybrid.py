"""Hybrid ranking: the lexical response, then what the meaning layer adds to it.

The rules, so that the page never claims a word a practice does not hold:

- practices holding every word keep the lexical order and the lead;
- when no practice holds every word (a partial answer), the partial matches of
  the first page are re-ranked by reciprocal-rank fusion of their lexical rank
  and their similarity rank: the one that says the same thing rises;
- practices found by meaning alone (no word of the query) come after the word
  matches of the first page, at most ``MEANING_RESULTS`` of them, above a
  calibrated similarity, each with ``by_meaning`` set and every query word
  in its ``missing_terms``; ``total`` still counts word matches only.

The meaning layer is asked only when the lexical answer is weak (no practice
holds every word: a partial answer, or none at all), on the first page of a relevance
search without filters: a filter would need the vectors filtered the same way,
and a strong word answer does not need them. Practices without vectors yet are
simply not added: search stays lexical for them.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kb.search import Hit, IndexDocument, SearchQuery, SearchResponse
from kb.search.analysis import term_of, terms

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MEANING_RESULTS = 5
# Similarity (cosine, best passage) a practice needs to be shown by meaning alone:
# at least QUERY_MIN, and within QUERY_WINDOW of the closest practice. Calibrated on
# tests/relevance/judgments_meaning.py: of the 12 queries, 8 get a judged answer
# shown this way, and 12 of the 22 practices shown are judged relevant (0.20 showed
# 30 for 13; 0.25, 16 for 7 and only 4 queries helped). The model's cosines on
# French practice text are low (0.15-0.38 for right answers): hence these figures.
QUERY_MIN = 0.22
QUERY_WINDOW = 0.08
# Head similarity (title + summary) above which a contribution is said to exist
# perhaps already: calibrated in tests/meaning/test_duplicates.py on rewordings of
# real sheets and on sheets that merely share a place name ("Grand Lyon").
DUPLICATE_MIN = 0.68
RRF_K = 10  # small: a handful of partial matches per page, not thousands
SNIPPET_CHARS = 240

_WORD = re.compile(r"[^\W_][\w'’‐-]*", re.UNICODE)


def query_words(text: str) -> list[str]:
    """The words of the query as typed (excluded "-mot" and stop words left out)."""
    words = []
    for chunk in text.replace('"', " ").split():
        if chunk.startswith("-"):
            continue
        for word in _WORD.findall(chunk):
            parts = re.split(r"['’]", word)
            last = parts[-1] if parts[-1] else word
            if term_of(last) is not None and last not in words:
                words.append(last)
    return words


def enabled() -> bool:
    """``KB_MEANING=0`` (or false, no, off) turns the meaning layer off."""
    return os.environ.get("KB_MEANING", "1").strip().lower() not in ("0", "false", "no", "off")


def wants_meaning(query: SearchQuery, response: SearchResponse) -> bool:
    if not enabled() or not query.text.strip() or query.filters or query.offset:
        return False
    if query.sort != "relevance" or response.message:
        return False
    # Weak: no practice holds every word. A full match, even a single one, is answer
    # enough (and ``kb search`` then stays clear of the model and the database layer).
    return response.partial or not response.total


def with_meaning(session: Session, query: SearchQuery, response: SearchResponse) -> SearchResponse:
    """``response`` with the meaning layer's re-ranking and additions (see the module)."""
    if not wants_meaning(query, response):
        return response
    # Imported here, not above: numpy, SQLAlchemy and the vectors would otherwise load
    # with every ``kb search``, even one whose word answer is strong.
    from kb.services import meaning
    from kb.services.indexing import published_documents

    held, scores = meaning.query_similarities(session, query.text)
    if not held.slugs:
        return response
    by_slug = dict(zip(held.slugs, scores.tolist(), strict=True))
    hits = _fused(response.hits, by_slug)
    shown = {h.slug for h in hits}
    words = tuple(query_words(query.text))
    floor = max(QUERY_MIN, float(scores.max()) - QUERY_WINDOW)
    found = held.top(scores, floor, MEANING_RESULTS * 2, exclude=shown)
    if response.total > len(response.hits):
        # Word matches beyond this page: a practice holding a query word is one of
        # them, not a practice found by meaning alone.
        wanted = {term_of(w) for w in words} - {None}
        texts = {d.slug: _searchable(d)
                 for d in published_documents(session, [held.slugs[i] for i, _ in found])}
        found = [(i, score) for i, score in found
                 if not wanted & set(terms(texts.get(held.slugs[i], "")))]
    added = [Hit(slug=held.slugs[i], title=held.titles[i], score=round(score, 4),
                 snippet=html.escape(_cut(held.summaries[i])), missing=words, by_meaning=True)
             for i, score in found[:MEANING_RESULTS]]
    return replace(response, hits=hits + added)


def related(session: Session, slug: str, limit: int) -> list[Hit] | None:
    """"Pratiques proches" of a sheet by meaning (its stored vectors: no model needed);
    None when the layer is off or the sheet has no vectors yet."""
    if not enabled():
        return None
    from kb.services import meaning

    found = meaning.related(session, slug, limit)
    if found is None:
        return None
    return [Hit(slug=s, title=title, score=round(score, 4), snippet="") for s, title, score in found]


def duplicates(session: Session, title: str, summary: str, *, exclude: str | None = None,
               limit: int = 5) -> list[Hit] | None:
    """Published practices a contribution may duplicate: head similarity of at least
    ``DUPLICATE_MIN``. None when the layer is off or no practice has vectors."""
    if not enabled():
        return None
    from kb.services import meaning

    held, scores = meaning.text_similarities(session, title, summary)
    if not held.slugs:
        return None
    return [Hit(slug=held.slugs[i], title=held.titles[i], score=round(score, 4),
                snippet=_cut(held.summaries[i]))
            for i, score in held.top(scores, DUPLICATE_MIN, limit,
                                     exclude={exclude} if exclude else ())]


def _fused(hits: list[Hit], scores: dict[str, float]) -> list[Hit]:
    """Full matches as they are; the partial matches after them by reciprocal-rank fusion."""
    full = [h for h in hits if not h.missing]
    partial = [h for h in hits if h.missing]
    if len(partial) < 2:
        return hits
    by_meaning = sorted(range(len(partial)), key=lambda i: -scores.get(partial[i].slug, -1.0))
    meaning_rank = {i: r for r, i in enumerate(by_meaning)}
    # A partial match lacking vectors keeps its lexical rank in both lists.
    fused = sorted(range(len(partial)), key=lambda i: -(
        1 / (RRF_K + i) + 1 / (RRF_K + (meaning_rank[i] if partial[i].slug in scores else i))))
    return full + [partial[i] for i in fused]


def _searchable(document: IndexDocument) -> str:
    """Every text the index searches in a practice: its words, and its facets' names."""
    named = [*document.themes, *document.landlords, *document.partners, *document.cities,
             *document.districts, *document.audiences]
    return "\n".join([document.title, document.summary, document.body,
                      *(n.label for n in named), *(a for n in named for a in n.aliases)])


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
