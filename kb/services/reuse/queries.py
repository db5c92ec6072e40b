"""Plain queries over published practices and rendez-vous: counts by value, feeds, sitemap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kb import storage
from kb.models import (
    CITY,
    LANDLORD,
    PARTNER,
    Event,
    Organisation,
    Place,
    Practice,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
    Theme,
)


def practices_in_order(session: Session, slugs: Sequence[str], chunk: int = 500) -> Iterator[Practice]:
    """Published practices of ``slugs``, in that order, loaded ``chunk`` at a time."""
    for start in range(0, len(slugs), chunk):
        part = slugs[start:start + chunk]
        found = {p.slug: p for p in storage.find_practices(session, slugs=part)}
        yield from (found[s] for s in part if s in found)


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
