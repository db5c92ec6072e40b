"""Read-only queries behind the HTML pages, beyond what ``kb.storage`` offers.

Every function takes the session first, answers in a fixed number of queries
(never one per practice) and only ever returns published practices.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.models import (
    CITY,
    LANDLORD,
    ORG_KINDS,
    PARTNER,
    Audience,
    Event,
    Inspiration,
    Organisation,
    Place,
    Practice,
    PracticeAudience,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
    Theme,
)
from kb.taxonomy import fold, slugify


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
    rows = session.execute(
        select(Practice.id, Practice.slug, Practice.title, Practice.started, Practice.status)
        .where(Practice.slug.in_(slugs), Practice.published.is_(True))).all()
    cards = {row.id: PracticeCard(row.slug, row.title, [], [], row.started, row.status)
             for row in rows}
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
    # Only values in a registry or shown by a published practice: a value used only by
    # withdrawn practices must not leak its label to whoever guesses its slug.
    def shown(foreign_key):
        link = foreign_key.class_
        return select(foreign_key).join(Practice, Practice.id == link.practice_id).where(
            Practice.published.is_(True))

    if facet == "theme":
        stmt = select(Theme.slug, Theme.label).where(
            Theme.slug.in_(slugs),
            Theme.in_registry.is_(True) | Theme.id.in_(shown(PracticeTheme.theme_id)))
    elif facet in ("landlord", "partner"):
        stmt = select(Organisation.slug, Organisation.name).where(
            Organisation.slug.in_(slugs), Organisation.in_registry.is_(True)
            | Organisation.id.in_(shown(PracticeOrganisation.organisation_id)))
    elif facet == "city":
        stmt = select(Place.slug, Place.label).where(
            Place.kind == CITY, Place.slug.in_(slugs), Place.id.in_(shown(PracticePlace.place_id)))
    elif facet == "audience":
        stmt = select(Audience.slug, Audience.label).where(
            Audience.slug.in_(slugs), Audience.id.in_(shown(PracticeAudience.audience_id)))
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


# -- the practice sheet -------------------------------------------------------------

# "10e arrondissement", "1er arrondissement de Lyon", "3ème arr." (a city's municipal districts).
_ARRONDISSEMENT = re.compile(
    r"^\s*(\d{1,2})\s*(?:e|er|ère|ème|eme)\s+arr(?:ondissement|\.)?"
    r"(?:\s+(?:de|d[’'])\s*(?P<city>[^\s].*?))?\s*$", re.IGNORECASE)


def ordinal(number: int) -> str:
    """French ordinal abbreviation of a district number: 1er, 2e, 10e."""
    return "1er" if number == 1 else f"{number}e"


@dataclass(frozen=True)
class PlaceLine:
    """One line of the "Lieu" fact: a city (or none) and what is known within it."""

    slug: str | None
    label: str | None
    arrondissements: str = ""  # "10e, 11e, 18e"
    districts: str = ""  # other districts, comma separated


def place_lines(cities: Sequence[tuple[str, str]], districts: Sequence[str]) -> list[PlaceLine]:
    """Cities with their districts written compactly: ``Paris 10e, 11e, 18e``.

    ``cities`` are ``(slug, label)``. Districts cannot be tied to one city when
    there are several, so they then go on a line of their own.
    """
    numbers: list[int] = []
    others: list[str] = []
    for label in districts:
        found = _ARRONDISSEMENT.match(label)
        if found:
            numbers.append(int(found.group(1)))
        else:
            others.append(label)
    arrondissements = ", ".join(ordinal(n) for n in sorted(set(numbers)))
    rest = ", ".join(dict.fromkeys(others))
    if len(cities) == 1:
        slug, label = cities[0]
        return [PlaceLine(slug, label, arrondissements, rest)]
    lines = [PlaceLine(slug, label) for slug, label in cities]
    if arrondissements or rest:
        lines.append(PlaceLine(None, None, arrondissements, rest))
    return lines


# -- partners -------------------------------------------------------------------------

LANDLORD_KIND = "bailleur social"
PARTNER_PRACTICES_MAX = 500  # a partner page lists at most this many; the search has the rest


@dataclass(frozen=True)
class PartnerEntry:
    """A non-landlord organisation and how many published practices it takes part in."""

    slug: str
    name: str
    kind: str
    count: int


@dataclass(frozen=True)
class PartnerRole:
    """One published practice of a partner and the part the partner plays in it."""

    slug: str
    title: str
    relation: str  # LANDLORD or PARTNER
    role: str | None


def _partner_counts(session: Session) -> dict[int, int]:
    from sqlalchemy import func

    rows = session.execute(
        select(PracticeOrganisation.organisation_id,
               func.count(PracticeOrganisation.practice_id.distinct()))
        .join(Practice, Practice.id == PracticeOrganisation.practice_id)
        .where(Practice.published.is_(True))
        .group_by(PracticeOrganisation.organisation_id))
    return dict(rows.all())


def _partner_ids(session: Session) -> set[int]:
    """Organisations named as partner by a published practice."""
    return set(session.scalars(
        select(PracticeOrganisation.organisation_id)
        .join(Practice, Practice.id == PracticeOrganisation.practice_id)
        .where(Practice.published.is_(True), PracticeOrganisation.relation == PARTNER)
        .distinct()))


def list_partners(session: Session) -> list[PartnerEntry]:
    """Every organisation that is not a social landlord (registry or published corpus),
    plus any organisation a published practice names as partner; by kind then name."""
    counts = _partner_counts(session)
    partner_ids = _partner_ids(session)
    entries = []
    for org in session.scalars(select(Organisation)):
        count = counts.get(org.id, 0)
        listed = org.id in partner_ids or (
            org.kind != LANDLORD_KIND and (org.in_registry or count))
        if listed:
            entries.append(PartnerEntry(org.slug, org.name, org.kind, count))
    order = {kind: n for n, kind in enumerate(ORG_KINDS)}
    return sorted(entries, key=lambda e: (order.get(e.kind, len(order)), fold(e.name), e.slug))


def is_partner(session: Session, organisation: Organisation) -> bool:
    """Whether ``organisation`` has a partner page (see ``list_partners``)."""
    if organisation.kind != LANDLORD_KIND and organisation.in_registry:
        return True
    return organisation.id in _partner_ids(session) or (
        organisation.kind != LANDLORD_KIND and bool(_partner_counts(session).get(organisation.id)))


def partner_roles(session: Session, organisation_id: int,
                  limit: int = PARTNER_PRACTICES_MAX) -> list[PartnerRole]:
    """The published practices of an organisation with its part in each, by title."""
    rows = session.execute(
        select(Practice.slug, Practice.title, PracticeOrganisation.relation,
               PracticeOrganisation.role)
        .join(PracticeOrganisation, PracticeOrganisation.practice_id == Practice.id)
        .where(PracticeOrganisation.organisation_id == organisation_id,
               Practice.published.is_(True))
        .order_by(Practice.title, Practice.slug, PracticeOrganisation.relation)
        .limit(limit))
    return [PartnerRole(*row) for row in rows]


# -- the panorama ---------------------------------------------------------------------


def missing_counts(session: Session) -> dict[str, int]:
    """How many published practices lack each piece of information the panorama charts."""
    from sqlalchemy import exists, func

    from kb.models import PracticeAudience

    def without(link, *conditions) -> int:
        linked = exists().where(link.practice_id == Practice.id, *conditions)
        return session.scalar(select(func.count(Practice.id)).where(
            Practice.published.is_(True), ~linked)) or 0

    city_ids = select(Place.id).where(Place.kind == CITY)
    return {
        "theme": without(PracticeTheme),
        "landlord": without(PracticeOrganisation, PracticeOrganisation.relation == LANDLORD),
        "partner": without(PracticeOrganisation, PracticeOrganisation.relation == PARTNER),
        "city": without(PracticePlace, PracticePlace.place_id.in_(city_ids)),
        "audience": without(PracticeAudience),
        "year": session.scalar(select(func.count(Practice.id)).where(
            Practice.published.is_(True), Practice.started.is_(None))) or 0,
    }
