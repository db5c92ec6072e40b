"""Published practices as plain rows for the search index (set-based, not the ORM)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kb.models import (
    Audience,
    Organisation,
    OrganisationAlias,
    Place,
    Practice,
    PracticeAudience,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
    Theme,
)


@dataclass
class PracticeRows:
    """Published practices as plain rows, with their labels, for the search index.

    Read with a few set-based queries rather than the ORM: hydrating objects for
    every link of ten thousand practices costs more than indexing them.
    """

    practices: list  # rows of the practices table
    themes: dict[int, list[tuple[str, str]]]  # practice id -> (slug, label), in order
    places: dict[int, list[tuple[str, str, str]]]  # -> (kind, slug, label)
    audiences: dict[int, list[tuple[str, str]]]
    organisations: dict[int, list[tuple[str, str, str, int]]]  # -> (relation, slug, name, org id)
    aliases: dict[int, list[str]]  # org id -> aliases


def published_rows(session: Session, slugs: Iterable[str] | None = None) -> PracticeRows:
    stmt = select(Practice.__table__).where(Practice.published.is_(True)).order_by(Practice.slug)
    if slugs is not None:
        stmt = stmt.where(Practice.slug.in_(list(slugs)))
    practices = session.execute(stmt).all()
    ids = [p.id for p in practices]
    rows = PracticeRows(practices, {}, {}, {}, {}, {})
    if not ids:
        return rows

    def grouped(query: Select) -> dict[int, list[tuple]]:
        result: dict[int, list[tuple]] = {}
        for chunk in range(0, len(ids), 5000):  # stay under bound-parameter limits
            for row in session.execute(query.where(query.selected_columns[0].in_(
                    ids[chunk:chunk + 5000]))):
                result.setdefault(row[0], []).append(tuple(row[1:]))
        return result

    rows.themes = grouped(select(PracticeTheme.practice_id, Theme.slug, Theme.label)
                          .join(Theme).order_by(PracticeTheme.practice_id, PracticeTheme.position))
    rows.places = grouped(select(PracticePlace.practice_id, Place.kind, Place.slug, Place.label)
                          .join(Place).order_by(PracticePlace.practice_id, PracticePlace.position))
    rows.audiences = grouped(
        select(PracticeAudience.practice_id, Audience.slug, Audience.label)
        .join(Audience).order_by(PracticeAudience.practice_id, PracticeAudience.position))
    rows.organisations = grouped(
        select(PracticeOrganisation.practice_id, PracticeOrganisation.relation, Organisation.slug,
               Organisation.name, Organisation.id)
        .join(Organisation)
        .order_by(PracticeOrganisation.practice_id, PracticeOrganisation.position))
    org_ids = {org[3] for links in rows.organisations.values() for org in links}
    for org_id, alias in session.execute(
            select(OrganisationAlias.organisation_id, OrganisationAlias.alias)
            .where(OrganisationAlias.organisation_id.in_(org_ids))
            .order_by(OrganisationAlias.id)):
        rows.aliases.setdefault(org_id, []).append(alias)
    return rows


def count_published(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Practice).where(
        Practice.published.is_(True))) or 0
