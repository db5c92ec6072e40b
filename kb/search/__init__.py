"""Full-text search of published practices (Whoosh; nothing outside kb/search imports it).

``SearchIndex`` is the whole public surface, with the plain records of
``documents.py``. See ``engine.py`` for the lifecycle and ``searching.py`` for
how a query is answered.
"""

from kb.search.documents import (
    FACETS,
    SORTS,
    DeferredDocuments,
    FacetCount,
    Hit,
    IndexDocument,
    Named,
    SearchQuery,
    SearchResponse,
)
from kb.search.engine import SearchError, SearchIndex, response_to_json
from kb.search.store import IndexLockTimeout

__all__ = [
    "FACETS",
    "SORTS",
    "DeferredDocuments",
    "FacetCount",
    "Hit",
    "IndexDocument",
    "IndexLockTimeout",
    "Named",
    "SearchError",
    "SearchIndex",
    "SearchQuery",
    "SearchResponse",
    "response_to_json",
]
