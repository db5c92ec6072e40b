"""Searching practices: filters typed by people resolved to slugs, one JSON shape.

``search_practices`` is what the command line, the web pages and the HTTP API
call; ``response_json`` is the one JSON shape they all return.

The glossary reaches the engine as ``synonyms``: a plain sequence of
``(acronym, expansion)`` string pairs, e.g. ``[("CMP", "centre
médico-psychologique")]``, expanded both ways at query time (see
``kb/search/querying.py``). It defaults to empty; callers pass the glossary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kb.search import (
    FACETS,
    SORTS,
    Hit,
    SearchIndex,
    SearchQuery,
    SearchResponse,
    response_to_json,
)
from kb.search.thesaurus import SynonymMap
from kb.services import search_reads as sql
from kb.services.cards import PracticeCard
from kb.services.follower import follower_for
from kb.services.search_reads import Reads, SessionReads
from kb.taxonomy import label_key

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAX_LIMIT = 200


def _reads(source: Session | Reads) -> Reads:
    return source if hasattr(source, "rows") else SessionReads(source)


def resolve_filter(source: Session | Reads, facet: str, value: str) -> str:
    """The slug a filter value means: a slug, a label in any writing, or an alias."""
    key = label_key(value)
    statement = {"landlord": sql.ORGANISATION_BY_ALIAS, "partner": sql.ORGANISATION_BY_ALIAS,
                 "theme": sql.THEME, "city": sql.CITY, "audience": sql.AUDIENCE}.get(facet)
    if facet == "year":
        return value.strip()
    if statement is None:
        return key
    found = _reads(source).rows(statement, {"key": key})
    return found[0][0] if found else key


def build_query(source: Session | Reads, text: str = "",
                filters: Mapping[str, Sequence[str]] | None = None, limit: int = 10,
                offset: int = 0, sort: str = "relevance",
                synonyms: Sequence[tuple[str, str]] = (),
                thesaurus: SynonymMap | None = None) -> SearchQuery:
    reads = _reads(source)
    resolved: dict[str, tuple[str, ...]] = {}
    for facet, values in (filters or {}).items():
        if facet not in FACETS:
            continue
        slugs = tuple(dict.fromkeys(resolve_filter(reads, facet, v) for v in values if v.strip()))
        if slugs:
            resolved[facet] = slugs
    return SearchQuery(
        text=text or "",
        filters=resolved,
        limit=max(1, min(int(limit), MAX_LIMIT)),
        offset=max(0, int(offset)),
        sort=sort if sort in SORTS else "relevance",
        synonyms=tuple((str(a), str(e)) for a, e in synonyms),
        thesaurus=thesaurus,
    )


def search_practices(session: Session, index: SearchIndex, text: str = "",
                     filters: Mapping[str, Sequence[str]] | None = None, *, limit: int = 10,
                     offset: int = 0, sort: str = "relevance",
                     synonyms: Sequence[tuple[str, str]] | None = None) -> SearchResponse:
    """Search published practices; never raises on what people type.

    ``synonyms``: (acronym, expansion) pairs; by default the glossary's, read from
    the database at each search so that a moderator's edit counts at once. The index first
    catches up with changes made through other processes or machines sharing
    the database. A failure of the engine raises ``SearchError`` (a 500).
    """
    reads = SessionReads(session)
    latest, version, thesaurus_version = _versions(reads)
    follower_for(index).catch_up(session, latest=latest)
    if synonyms is None:
        synonyms = glossary_synonyms(reads, text, version)
    return index.search(build_query(reads, text, filters, limit, offset, sort, synonyms,
                                    thesaurus_map(reads, text, thesaurus_version)))


def search_current(reads: Reads, index: SearchIndex, text: str = "",
                   filters: Mapping[str, Sequence[str]] | None = None, *, limit: int = 10,
                   offset: int = 0, sort: str = "relevance") -> SearchResponse | None:
    """``search_practices`` without a session, or None when the index must first be
    (re)built or catch up with the database: then call ``search_practices``."""
    latest, version, thesaurus_version = _versions(reads)
    if not index.ensure_ready() or not follower_for(index).is_current(latest):
        return None
    synonyms = glossary_synonyms(reads, text, version)
    return index.search(build_query(reads, text, filters, limit, offset, sort, synonyms,
                                    thesaurus_map(reads, text, thesaurus_version)))


def hit_cards(hits: Sequence[Hit]) -> dict[str, PracticeCard]:
    """The cards of search results (landlords, cities, start year, status), keyed by slug.

    Read from the facts the index keeps of each hit, without a database round trip
    (a third of a search page's time at 10,000 practices); the index follows the
    database as for the titles and snippets shown beside them.
    """
    def first(facts: Mapping[str, Sequence[str]], name: str) -> str | None:
        values = facts.get(name) or ()
        return values[0] if values else None

    return {hit.slug: PracticeCard(hit.slug, hit.title, list(hit.facts.get("landlord", ())),
                                   list(hit.facts.get("city", ())), first(hit.facts, "year"),
                                   first(hit.facts, "status"))
            for hit in hits}


def facet_overview(index: SearchIndex) -> SearchResponse:
    """Every facet's values over all published practices, as the index holds them now.

    No database round trip: for hints shown on every page, where a change made by
    another process may show at the next search rather than at once.
    """
    return index.search(SearchQuery(text="", filters={}, limit=1, offset=0, sort="relevance",
                                    synonyms=()))


def _versions(reads: Reads) -> tuple[int, tuple, tuple]:
    """(highest change-log id, glossary version, thesaurus version): versions are the
    size and latest edit of their table."""
    latest, count, edited, groups, regrouped = reads.rows(sql.VERSIONS)[0]
    return latest or 0, (count, edited), (groups, regrouped)


_glossaries: dict[tuple, list[tuple[str, str]]] = {}  # (database, version) -> pairs


def glossary_synonyms(source: Session | Reads, text: str,
                      version: tuple | None = None) -> list[tuple[str, str]]:
    """The glossary's (acronym, expansion) pairs, or none when there is no text to expand.

    With ``version`` (see ``_versions``), the pairs read for that version of this
    database are reused: an edit, addition or removal changes the version.
    """
    if not text.strip():
        return []
    reads = _reads(source)
    key = (reads.source, version) if version is not None else None
    if key is not None and key in _glossaries:
        return _glossaries[key]
    pairs = [(str(acronym), str(expansion)) for acronym, expansion in reads.rows(sql.GLOSSARY_PAIRS)]
    if key is not None:
        if len(_glossaries) >= 16:
            _glossaries.clear()
        _glossaries[key] = pairs
    return pairs


# -- thesaurus: one SynonymMap per version of a database's thesaurus, as for the glossary.
_thesauri: dict[tuple, SynonymMap] = {}


def thesaurus_map(source: Session | Reads, text: str,
                  version: tuple | None = None) -> SynonymMap | None:
    """The thesaurus' synonym map, or None when there is no text to widen.

    With ``version`` (see ``_versions``), the map built for that version of this
    database is reused: an edit, addition or removal of a group changes the version.
    """
    if not text.strip():
        return None
    reads = _reads(source)
    key = (reads.source, version) if version is not None else None
    if key is not None and key in _thesauri:
        return _thesauri[key]
    found = SynonymMap((terms.split("\n"), (narrower or "").split("\n"))
                       for terms, narrower in reads.rows(sql.THESAURUS_GROUPS))
    if key is not None:
        if len(_thesauri) >= 16:
            _thesauri.clear()
        _thesauri[key] = found
    return found


def related_practices(session: Session, index: SearchIndex, slug: str, limit: int = 5) -> list:
    """Published practices most like ``slug`` ("more like this"), index caught up first."""
    follower_for(index).catch_up(session)
    return index.more_like(slug, limit)


def response_json(response: SearchResponse) -> dict[str, Any]:
    """The JSON shape shared by ``kb search --json`` and ``/api/v1/search``."""
    return response_to_json(response)
