"""Read-only queries behind the HTML pages, beyond what ``kb.storage`` offers.

Every function takes the session first, answers in a fixed number of queries
(never one per practice) and only ever returns published practices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.models import (
    CITY,
    LANDLORD,
    Audience,
    Event,
    Inspiration,
    Organisation,
    Place,
    Practice,
    PracticeOrganisation,
    PracticePlace,
    Theme,
)
from kb.taxonomy import slugify


@dataclass(frozen=True)
class PracticeCard:
    """What a result list shows of a practice besides its title and snippet."""

    slug: str
    title: str
    landlords: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    started: str | None = None
    status: str | None = None


def practice_cards(session: Session, slugs: Iterable[str]) -> dict[str, PracticeCard]:
    """Cards of the published practices among ``slugs``, keyed by slug (three light queries)."""
    slugs = list(slugs)
    if not slugs:
        return {}
    # "published" is tested here, not in SQL: given both conditions, SQLite (without
    # ANALYZE statistics) walks the index on "published", i.e. every practice
    # (20-100 ms at 10,000), instead of the unique index on the slug.
    rows = session.execute(
        select(Practice.id, Practice.slug, Practice.title, Practice.started, Practice.status,
               Practice.published)
        .where(Practice.slug.in_(slugs))).all()
    cards = {row.id: PracticeCard(row.slug, row.title, [], [], row.started, row.status)
             for row in rows if row.published}
    if not cards:
        return {}
    # Driven by the practice ids, and kinds filtered here rather than in SQL: given
    # "kind = 'city'", SQLite walks every city of the corpus first.
    for practice_id, relation, name in session.execute(
            select(PracticeOrganisation.practice_id, PracticeOrganisation.relation,
                   Organisation.name)
            .join(Organisation, Organisation.id == PracticeOrganisation.organisation_id)
            .where(PracticeOrganisation.practice_id.in_(list(cards)))
            .order_by(PracticeOrganisation.practice_id, PracticeOrganisation.position)):
        if relation == LANDLORD:
            cards[practice_id].landlords.append(name)
    for practice_id, kind, label in session.execute(
            select(PracticePlace.practice_id, Place.kind, Place.label)
            .join(Place, Place.id == PracticePlace.place_id)
            .where(PracticePlace.practice_id.in_(list(cards)))
            .order_by(PracticePlace.practice_id, PracticePlace.position)):
        if kind == CITY:
            cards[practice_id].cities.append(label)
    return {card.slug: card for card in cards.values()}


def published_titles(session: Session, slugs: Iterable[str]) -> list[tuple[str, str]]:
    """``(slug, title)`` of the published practices among ``slugs``, in the given order."""
    slugs = list(dict.fromkeys(slugs))
    if not slugs:
        return []
    rows = {slug: title for slug, title in session.execute(select(Practice.slug, Practice.title)
            .where(Practice.slug.in_(slugs), Practice.published.is_(True)))}
    return [(slug, rows[slug]) for slug in slugs if slug in rows]


def inspired_practices(session: Session, slug: str) -> list[tuple[str, str]]:
    """``(slug, title)`` of the published practices that name ``slug`` as an inspiration."""
    stmt = (select(Practice.slug, Practice.title)
            .join(Inspiration, Inspiration.practice_id == Practice.id)
            .where(Inspiration.target_slug == slug, Practice.published.is_(True))
            .order_by(Practice.title))
    return [(slug, title) for slug, title in session.execute(stmt)]


def find_theme(session: Session, slug: str) -> Theme | None:
    return session.scalars(select(Theme).where(Theme.slug == slug)).first()


def find_organisation(session: Session, slug: str) -> Organisation | None:
    return session.scalars(select(Organisation).where(Organisation.slug == slug)).first()


def find_city(session: Session, slug: str) -> Place | None:
    return session.scalars(select(Place).where(Place.kind == CITY, Place.slug == slug)).first()


def theme_descriptions(session: Session) -> dict[str, str]:
    """Slug -> description of every theme that has one."""
    rows = session.execute(select(Theme.slug, Theme.description)
                           .where(Theme.description.is_not(None)))
    return {slug: text for slug, text in rows if text}


def facet_labels(session: Session, facet: str, slugs: Iterable[str]) -> dict[str, str]:
    """Labels of facet values given by slug (for filters that matched nothing)."""
    slugs = list(slugs)
    if not slugs:
        return {}
    if facet == "theme":
        stmt = select(Theme.slug, Theme.label).where(Theme.slug.in_(slugs))
    elif facet == "landlord":
        stmt = select(Organisation.slug, Organisation.name).where(Organisation.slug.in_(slugs))
    elif facet == "city":
        stmt = select(Place.slug, Place.label).where(Place.kind == CITY, Place.slug.in_(slugs))
    elif facet == "audience":
        stmt = select(Audience.slug, Audience.label).where(Audience.slug.in_(slugs))
    elif facet in ("status", "evidence"):
        from kb.models import EVIDENCE_LEVELS, PRACTICE_STATUSES

        names = PRACTICE_STATUSES if facet == "status" else EVIDENCE_LEVELS
        return {slugify(n): n for n in names if slugify(n) in slugs}
    else:
        return {}
    return {slug: label for slug, label in session.execute(stmt)}


def find_event(session: Session, slug: str) -> Event | None:
    stmt = select(Event).where(Event.slug == slug).options(
        selectinload(Event.organisers), selectinload(Event.themes),
        selectinload(Event.presentations), selectinload(Event.sources))
    return session.scalars(stmt).first()


def is_upcoming(event: Event, today: dt.date) -> bool:
    return (event.end_date or event.date) >= today


def split_events(events: Iterable[Event], today: dt.date) -> tuple[list[Event], list[Event]]:
    """Upcoming events (soonest first) and past ones (latest first)."""
    events = list(events)
    upcoming = sorted((e for e in events if is_upcoming(e, today)), key=lambda e: (e.date, e.slug))
    past = sorted((e for e in events if not is_upcoming(e, today)),
                  key=lambda e: (e.date, e.slug), reverse=True)
    return upcoming, past


def upcoming_events(session: Session, today: dt.date, limit: int = 3) -> list[Event]:
    """The next ``limit`` events that have not ended before ``today``."""
    stmt = (select(Event)
            .where((Event.date >= today) | (Event.end_date >= today))
            .order_by(Event.date, Event.slug).limit(limit))
    return list(session.scalars(stmt))


def count_past_events(session: Session, today: dt.date) -> int:
    from sqlalchemy import func

    stmt = select(func.count(Event.id)).where(
        Event.date < today, (Event.end_date.is_(None)) | (Event.end_date < today))
    return session.scalar(stmt) or 0
