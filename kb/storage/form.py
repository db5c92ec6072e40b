"""What the contribution form proposes and suggests: labels, names, titles."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.models import (
    CITY,
    Audience,
    Organisation,
    Place,
    Practice,
    PracticeAudience,
    PracticeOrganisation,
    PracticePlace,
    Theme,
)
from kb.taxonomy import label_key


def registry_theme_labels(session: Session) -> list[str]:
    return list(session.scalars(select(Theme.label).where(Theme.in_registry.is_(True))
                                .order_by(Theme.slug)))


def organisation_names(session: Session) -> list[str]:
    """Names and aliases of registry organisations and of those in published practices."""
    public = (select(PracticeOrganisation.organisation_id).join(Practice)
              .where(Practice.published.is_(True)))
    orgs = list(session.scalars(
        select(Organisation).where(Organisation.in_registry.is_(True) | Organisation.id.in_(public))
        .options(selectinload(Organisation.aliases))))
    names = {org.name for org in orgs} | {a.alias for org in orgs for a in org.aliases}
    return sorted(names, key=str.casefold)


def published_slugs(session: Session) -> set[str]:
    return set(session.scalars(select(Practice.slug).where(Practice.published.is_(True))))


def english_theme_labels(session: Session) -> dict[str, str]:
    """Label key -> English label, for the registry themes that have one."""
    rows = session.execute(select(Theme.label, Theme.label_en).where(Theme.label_en.is_not(None)))
    return {label_key(fr): en for fr, en in rows}


def english_audience_labels(session: Session) -> dict[str, str]:
    """Label key -> English label, for the registry audiences that have one."""
    rows = session.execute(select(Audience.label, Audience.label_en)
                           .where(Audience.label_en.is_not(None)))
    return {label_key(fr): en for fr, en in rows}


def published_title_map(session: Session) -> dict[str, str]:
    """Identifier -> title of every published practice."""
    rows = session.execute(select(Practice.slug, Practice.title)
                           .where(Practice.published.is_(True)).order_by(Practice.title))
    return {slug: title for slug, title in rows}


def used_labels(session: Session, kind: str, limit: int) -> list[str]:
    """Labels of cities (``kind="city"``) or audiences shown by published practices."""
    if kind == "city":
        model, link, column = Place, PracticePlace, PracticePlace.place_id
    else:
        model, link, column = Audience, PracticeAudience, PracticeAudience.audience_id
    public = select(link.practice_id).join(Practice).where(Practice.published.is_(True))
    stmt = (select(model.label).join(link, column == model.id)
            .where(link.practice_id.in_(public)).distinct().limit(limit))
    labels: set[str] = set()
    if model is Place:
        stmt = stmt.where(Place.kind == CITY)
    else:  # the registry's audiences are offered even before a practice names them
        labels.update(session.scalars(select(Audience.label).where(Audience.in_registry.is_(True))
                                      .limit(limit)))
    labels.update(session.scalars(stmt))
    return sorted(labels, key=str.casefold)


def recent_titles(session: Session, limit: int) -> list[str]:
    """Titles of published practices, the most recently updated first, sorted for display."""
    stmt = (select(Practice.title).where(Practice.published.is_(True))
            .order_by(Practice.updated_at.desc()).limit(limit))
    return sorted(session.scalars(stmt), key=str.casefold)
