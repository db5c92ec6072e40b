"""Read-only queries behind the HTML pages, beyond what ``kb.storage`` offers.

Every function takes the session first, answers in a fixed number of queries
(never one per practice) and only ever returns published practices.

Result cards and value lookups are here; rendez-vous, the practice sheet's
places, partners and the panorama's gaps each have a module.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import (
    CITY,
    LANDLORD,
    Audience,
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
from kb.services.browse.events import (
    count_past_events,
    find_event,
    is_upcoming,
    latest_past_events,
    split_events,
    upcoming_events,
)
from kb.services.browse.panorama import missing_counts
from kb.services.browse.partners import (
    LANDLORD_KIND,
    PARTNER_PRACTICES_MAX,
    PartnerEntry,
    PartnerRole,
    is_partner,
    list_partners,
    partner_roles,
)
from kb.services.browse.places import PlaceLine, ordinal, place_lines
from kb.services.cards import PracticeCard
from kb.taxonomy import slugify

__all__ = [
    "LANDLORD_KIND", "PARTNER_PRACTICES_MAX", "PartnerEntry", "PartnerRole", "PlaceLine",
    "PracticeCard", "count_past_events", "facet_labels", "find_city", "find_event",
    "find_organisation", "find_theme", "inspired_practices", "is_partner", "is_upcoming",
    "latest_past_events",
    "list_partners", "missing_counts", "ordinal", "partner_roles", "place_lines",
    "practice_cards", "published_titles", "split_events", "theme_descriptions",
    "upcoming_events",
]


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
