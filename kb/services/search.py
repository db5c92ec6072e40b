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
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import CITY, Audience, OrganisationAlias, Place, Theme
from kb.search import (
    FACETS,
    SORTS,
    Hit,
    SearchIndex,
    SearchQuery,
    SearchResponse,
    response_to_json,
)
from kb.services.browse import PracticeCard
from kb.services.indexing import follower_for
from kb.taxonomy import label_key

MAX_LIMIT = 200


def resolve_filter(session: Session, facet: str, value: str) -> str:
    """The slug a filter value means: a slug, a label in any writing, or an alias."""
    key = label_key(value)
    if facet in ("landlord", "partner"):  # organisations: the registry's aliases apply
        alias = session.scalars(select(OrganisationAlias).where(OrganisationAlias.key == key)).first()
        return alias.organisation.slug if alias else key
    elif facet == "theme":
        found = session.scalar(select(Theme.slug).where(Theme.slug == key))
        return found or key
    elif facet == "city":
        found = session.scalar(select(Place.slug).where(Place.kind == CITY, Place.slug == key))
        return found or key
    elif facet == "audience":
        found = session.scalar(select(Audience.slug).where(Audience.slug == key))
        return found or key
    elif facet == "year":
        return value.strip()
    return key


def build_query(session: Session, text: str = "", filters: Mapping[str, Sequence[str]] | None = None,
                limit: int = 10, offset: int = 0, sort: str = "relevance",
                synonyms: Sequence[tuple[str, str]] = ()) -> SearchQuery:
    resolved: dict[str, tuple[str, ...]] = {}
    for facet, values in (filters or {}).items():
        if facet not in FACETS:
            continue
        slugs = tuple(dict.fromkeys(resolve_filter(session, facet, v) for v in values if v.strip()))
        if slugs:
            resolved[facet] = slugs
    return SearchQuery(
        text=text or "",
        filters=resolved,
        limit=max(1, min(int(limit), MAX_LIMIT)),
        offset=max(0, int(offset)),
        sort=sort if sort in SORTS else "relevance",
        synonyms=tuple((str(a), str(e)) for a, e in synonyms),
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
    # One round trip says both what the index must catch up with and whether the
    # glossary changed since this process last read it.
    latest, version = _versions(session)
    follower_for(index).catch_up(session, latest=latest)
    if synonyms is None:
        synonyms = glossary_synonyms(session, text, version)
    return index.search(build_query(session, text, filters, limit, offset, sort, synonyms))


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


def _versions(session: Session) -> tuple[int, tuple]:
    """(highest change-log id, glossary version): its size and latest edit."""
    from kb.models import ChangeLog, GlossaryTerm

    # Plain SQL, the same on SQLite and PostgreSQL: asked on every search, it skips the
    # statement compilation and result processing of the ORM (table names are ours).
    changes, glossary = ChangeLog.__tablename__, GlossaryTerm.__tablename__
    latest, count, edited = session.connection().exec_driver_sql(
        f"SELECT (SELECT max(id) FROM {changes}), (SELECT count(id) FROM {glossary}), "  # noqa: S608
        f"(SELECT max(updated_at) FROM {glossary})").one()
    return latest or 0, (count, edited)


_glossaries: dict[tuple, list[tuple[str, str]]] = {}  # (database, version) -> pairs


def glossary_synonyms(session: Session, text: str,
                      version: tuple | None = None) -> list[tuple[str, str]]:
    """The glossary's (acronym, expansion) pairs, or none when there is no text to expand.

    With ``version`` (see ``_versions``), the pairs read for that version of this
    database are reused: an edit, addition or removal changes the version.
    """
    if not text.strip():
        return []
    # A query of its own rather than kb.storage, which would load the corpus parser (and YAML)
    # into every ``kb search``.
    from kb.models import GlossaryTerm

    key = (str(session.get_bind().url), version) if version is not None else None
    if key is not None and key in _glossaries:
        return _glossaries[key]
    pairs = [tuple(row) for row in session.execute(
        select(GlossaryTerm.acronym, GlossaryTerm.expansion).order_by(GlossaryTerm.acronym))]
    if key is not None:
        if len(_glossaries) >= 16:
            _glossaries.clear()
        _glossaries[key] = pairs
    return pairs


def related_practices(session: Session, index: SearchIndex, slug: str, limit: int = 5) -> list:
    """Published practices most like ``slug`` ("more like this"), index caught up first."""
    follower_for(index).catch_up(session)
    return index.more_like(slug, limit)


def response_json(response: SearchResponse) -> dict[str, Any]:
    """The JSON shape shared by ``kb search --json`` and ``/api/v1/search``."""
    return response_to_json(response)
