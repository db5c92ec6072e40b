"""Re-use of the published practices: API records, exports, feeds and the panorama.

Everything here reads; nothing writes. Every query filters ``Practice.published``
and every search goes through the index, which only holds published practices,
so no function of this module can return an unpublished practice. URLs are
built from a ``base`` (the site's absolute root, without a trailing slash)
because this layer does not know the web request.

Searching through the index is here; the API records are in ``records``, the
plain queries (counts, rendez-vous, feeds, sitemap) in ``queries``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from kb.search import SearchIndex, SearchResponse
from kb.services.reuse.catalog import catalogue, last_change
from kb.services.reuse.queries import (
    Count,
    count_published,
    counts_by,
    events_with_practices,
    facet_value,
    get_event,
    newest_practices,
    practices_in_order,
    published_slugs,
    sitemap_entries,
)
from kb.services.reuse.records import PATHS, event_record, page_url, practice_full, practice_summary
from kb.services.search import build_query, glossary_synonyms

__all__ = [
    "EXPORT_CAP", "PAGE", "PATHS", "Count", "catalogue", "count_published", "counts_by",
    "event_record", "events_with_practices", "facet_value", "get_event", "last_change",
    "newest_practices", "page_url",
    "practice_full", "practice_summary", "practices_in_order", "published_slugs",
    "search_all_slugs", "search_page", "sitemap_entries",
]

# What one search call may return (kb.search caps a page at 500, an offset at 10,000).
PAGE = 500
EXPORT_CAP = 10_000


def search_page(session: Session, index: SearchIndex, text: str, filters: Mapping[str, Sequence[str]],
                *, limit: int, offset: int, sort: str) -> SearchResponse:
    """One page of search results; ``limit`` may exceed the web page size (up to ``PAGE``)."""
    query = build_query(session, text, filters, 1, 0, sort, glossary_synonyms(session, text))
    return index.search(replace(query, limit=limit, offset=offset))


def search_all_slugs(session: Session, index: SearchIndex, text: str,
                     filters: Mapping[str, Sequence[str]], sort: str,
                     cap: int = EXPORT_CAP) -> list[str]:
    """The slugs of every match, in result order, at most ``cap``."""
    slugs: list[str] = []
    while len(slugs) < cap:
        want = min(PAGE, cap - len(slugs))
        response = search_page(session, index, text, filters, limit=want, offset=len(slugs), sort=sort)
        slugs.extend(hit.slug for hit in response.hits)
        if len(response.hits) < want or len(slugs) >= response.total:
            break
    return slugs
