"""Re-use of the published practices: API records, exports, feeds and the panorama.

Everything here reads; nothing writes. Every query filters ``Practice.published``
and every search goes through the index, which only holds published practices,
so no function of this module can return an unpublished practice. URLs are
built from a ``base`` (the site's absolute root, without a trailing slash)
because this layer does not know the web request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kb import storage
from kb.models import (
    CITY,
    DISTRICT,
    LANDLORD,
    PARTNER,
    Event,
    EventPractice,
    Organisation,
    Place,
    Practice,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
    Theme,
)
from kb.rendering import render_markdown
from kb.search import SearchIndex, SearchResponse
from kb.services.search import build_query, glossary_synonyms
from kb.taxonomy import slugify

# Public pages, relative to the site root; the browse and practice blueprints serve them.
PATHS = {
    "practice": "/pratiques/{slug}",
    "theme": "/themes/{slug}",
    "landlord": "/bailleurs/{slug}",
    "partner": "/partenaires/{slug}",
    "city": "/villes/{slug}",
    "event": "/rendez-vous/{slug}",
}
# What one search call may return (kb.search caps a page at 500, an offset at 10,000).
PAGE = 500
EXPORT_CAP = 10_000


def page_url(base: str, kind: str, slug: str) -> str:
    """The absolute URL of the public page of a practice, value or rendez-vous."""
    return base + PATHS[kind].format(slug=slug)


# -- searching through the index -------------------------------------------------


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


def practices_in_order(session: Session, slugs: Sequence[str], chunk: int = 500) -> Iterator[Practice]:
    """Published practices of ``slugs``, in that order, loaded ``chunk`` at a time."""
    for start in range(0, len(slugs), chunk):
        part = slugs[start:start + chunk]
        found = {p.slug: p for p in storage.find_practices(session, slugs=part)}
        yield from (found[s] for s in part if s in found)


# -- records for the API ---------------------------------------------------------


def _named(slug: str, label: str) -> dict[str, str]:
    return {"slug": slug, "label": label}


def _value(label: str | None) -> dict[str, str] | None:
    return _named(slugify(label), label) if label else None


def practice_summary(practice: Practice, base: str) -> dict[str, Any]:
    """The short record of a practice, as lists and the CSV export show it."""
    return {
        "slug": practice.slug,
        "title": practice.title,
        "summary": practice.summary,
        "themes": [_named(t.theme.slug, t.theme.label) for t in practice.themes],
        "landlords": [_named(o.organisation.slug, o.organisation.name)
                      for o in practice.orgs(LANDLORD)],
        "cities": [_named(p.slug, p.label) for p in practice.place_list(CITY)],
        "status": _value(practice.status),
        "evidence": _value(practice.evidence),
        "started": practice.started,
        "ended": practice.ended,
        "updated_at": _stamp(practice.updated_at),
        "url": page_url(base, "practice", practice.slug),
    }


def practice_full(session: Session, practice: Practice, base: str) -> dict[str, Any]:
    """Every field of the practice file (same names) plus links; no contributor data."""
    published = published_slugs(session, [i.target_slug for i in practice.inspirations])
    events = session.scalars(select(Event).where(Event.presentations.any(
        EventPractice.practice_slug == practice.slug)).order_by(Event.date, Event.slug))
    return {
        **practice_summary(practice, base),
        "partners": [{**_named(o.organisation.slug, o.organisation.name), "role": o.role}
                     for o in practice.orgs(PARTNER)],
        "districts": [_named(p.slug, p.label) for p in practice.place_list(DISTRICT)],
        "audiences": [_named(a.audience.slug, a.audience.label) for a in practice.audiences],
        "inspired_by": [s for s in (i.target_slug for i in practice.inspirations) if s in published],
        "sources": [{"title": s.title, "url": s.url, "date": s.date, "publisher": s.publisher}
                    for s in practice.sources],
        "contact": practice.contact,
        "licence": practice.licence,
        "last_verified": practice.last_verified.isoformat() if practice.last_verified else None,
        "created_at": _stamp(practice.created_at),
        "body": practice.body,
        "body_html": str(render_markdown(practice.body)),
        "rendez_vous": [{"slug": e.slug, "title": e.title, "date": e.date.isoformat(),
                         "url": page_url(base, "event", e.slug)} for e in events],
    }


def event_record(event: Event, presented: Sequence[Practice], base: str, *,
                 full: bool = False) -> dict[str, Any]:
    """A rendez-vous with the published practices presented; ``full`` adds body and sources."""
    record: dict[str, Any] = {
        "slug": event.slug,
        "title": event.title,
        "date": event.date.isoformat(),
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "place": event.place,
        "summary": event.summary,
        "organisers": [_named(o.organisation.slug, o.organisation.name) for o in event.organisers],
        "themes": [_named(t.theme.slug, t.theme.label) for t in event.themes],
        "practices": [{"slug": p.slug, "title": p.title, "url": page_url(base, "practice", p.slug)}
                      for p in presented],
        "url": page_url(base, "event", event.slug),
    }
    if full:
        record["body"] = event.body
        record["body_html"] = str(render_markdown(event.body))
        record["sources"] = [{"title": s.title, "url": s.url, "date": s.date,
                              "publisher": s.publisher} for s in event.sources]
    return record


def _stamp(value: dt.datetime | None) -> str | None:
    """Database times are naive UTC; say so."""
    return value.replace(tzinfo=dt.UTC, microsecond=0).isoformat() if value else None


# -- plain queries -----------------------------------------------------------------


def count_published(session: Session) -> int:
    """How many practices are published."""
    return session.scalar(select(func.count(Practice.id)).where(Practice.published.is_(True))) or 0


def published_slugs(session: Session, slugs: Sequence[str]) -> set[str]:
    """Those of ``slugs`` that name a published practice."""
    if not slugs:
        return set()
    stmt = select(Practice.slug).where(Practice.published.is_(True), Practice.slug.in_(list(slugs)))
    return set(session.scalars(stmt))


def get_event(session: Session, slug: str) -> Event | None:
    """The rendez-vous ``slug`` (rendez-vous have no unpublished state)."""
    return session.scalars(select(Event).where(Event.slug == slug)).first()


def events_with_practices(session: Session, events: Sequence[Event] | None = None
                          ) -> list[tuple[Event, list[Practice]]]:
    """Rendez-vous (every one by date by default), each with the published practices presented."""
    events = storage.find_events(session) if events is None else events
    wanted = {p.practice_slug for e in events for p in e.presentations}
    found = {p.slug: p for p in session.scalars(
        select(Practice).where(Practice.published.is_(True), Practice.slug.in_(wanted)))}
    return [(e, [found[p.practice_slug] for p in e.presentations if p.practice_slug in found])
            for e in events]


def _facet_join(facet: str) -> tuple[Select, Any, Any]:
    """(select of slug, label, count; slug column; label column) of a facet over published practices."""
    count = func.count(Practice.id.distinct())
    if facet == "theme":
        cols = (Theme.slug, Theme.label)
        stmt = (select(*cols, count).join(PracticeTheme, PracticeTheme.theme_id == Theme.id)
                .join(Practice, Practice.id == PracticeTheme.practice_id).group_by(Theme.id))
    elif facet == "landlord":
        cols = (Organisation.slug, Organisation.name)
        stmt = (select(*cols, count)
                .join(PracticeOrganisation, PracticeOrganisation.organisation_id == Organisation.id)
                .join(Practice, Practice.id == PracticeOrganisation.practice_id)
                .where(PracticeOrganisation.relation == LANDLORD).group_by(Organisation.id))
    elif facet == "partner":
        cols = (Organisation.slug, Organisation.name)
        stmt = (select(*cols, count)
                .join(PracticeOrganisation, PracticeOrganisation.organisation_id == Organisation.id)
                .join(Practice, Practice.id == PracticeOrganisation.practice_id)
                .where(PracticeOrganisation.relation == PARTNER).group_by(Organisation.id))
    elif facet == "city":
        cols = (Place.slug, Place.label)
        stmt = (select(*cols, count).join(PracticePlace, PracticePlace.place_id == Place.id)
                .join(Practice, Practice.id == PracticePlace.practice_id)
                .where(Place.kind == CITY).group_by(Place.id))
    elif facet == "year":
        year = func.substr(Practice.started, 1, 4)
        cols = (year, year)
        stmt = select(year, year, count).where(Practice.started.is_not(None)).group_by(year)
    else:
        raise ValueError(facet)
    return stmt.where(Practice.published.is_(True)), cols[0], cols[1]


@dataclass(frozen=True)
class Count:
    slug: str
    label: str
    count: int


def counts_by(session: Session, facet: str) -> list[Count]:
    """How many published practices each value of ``facet`` has, most first."""
    stmt, _slug, label = _facet_join(facet)
    rows = [Count(s, lab, n) for s, lab, n in session.execute(stmt.order_by(label))]
    return sorted(rows, key=lambda c: -c.count) if facet != "year" else rows


def facet_value(session: Session, facet: str, slug: str) -> Count | None:
    """The value ``slug`` of ``facet`` if some published practice has it or the registry names it.

    Registry themes and organisations have a page (and so a feed) before their first practice.
    """
    stmt, slug_col, _label = _facet_join(facet)
    row = session.execute(stmt.where(slug_col == slug)).first()
    if row:
        return Count(*row)
    model = {"theme": Theme, "landlord": Organisation, "partner": Organisation}.get(facet)
    found = session.scalars(select(model).where(model.slug == slug, model.in_registry.is_(True))
                            ).first() if model else None
    return Count(slug, found.label if model is Theme else found.name, 0) if found else None


def newest_practices(session: Session, facet: str | None = None, slug: str | None = None,
                     limit: int = 50) -> list[Practice]:
    """Published practices, newest first (created, then updated), optionally of one value."""
    stmt = select(Practice.slug).where(Practice.published.is_(True))
    if facet == "theme":
        stmt = stmt.where(Practice.themes.any(PracticeTheme.theme.has(Theme.slug == slug)))
    elif facet == "landlord":
        stmt = stmt.where(Practice.organisations.any(
            (PracticeOrganisation.relation == LANDLORD)
            & PracticeOrganisation.organisation.has(Organisation.slug == slug)))
    elif facet == "partner":
        stmt = stmt.where(Practice.organisations.any(
            (PracticeOrganisation.relation == PARTNER)
            & PracticeOrganisation.organisation.has(Organisation.slug == slug)))
    elif facet == "city":
        stmt = stmt.where(Practice.places.any(
            PracticePlace.place.has((Place.kind == CITY) & (Place.slug == slug))))
    stmt = stmt.order_by(Practice.created_at.desc(), Practice.updated_at.desc(), Practice.slug)
    return list(practices_in_order(session, list(session.scalars(stmt.limit(limit)))))


def sitemap_entries(session: Session) -> list[tuple[str, str, dt.datetime | None]]:
    """(kind, slug, last change) of every public page about one published thing."""
    rows: list[tuple[str, str, dt.datetime | None]] = [
        ("practice", slug, updated) for slug, updated in session.execute(
            select(Practice.slug, Practice.updated_at).where(Practice.published.is_(True))
            .order_by(Practice.slug))]
    for facet in ("theme", "landlord", "partner", "city"):
        rows += [(facet, c.slug, None) for c in counts_by(session, facet)]
    rows += [("event", slug, None) for slug in session.scalars(select(Event.slug).order_by(Event.slug))]
    return rows
