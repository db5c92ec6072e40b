"""Partners: the organisations other than social landlords, and their part in each practice."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import ORG_KINDS, PARTNER, Organisation, Practice, PracticeOrganisation
from kb.taxonomy import fold

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
