"""What the panorama says is missing: published practices without a theme, a city, etc."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import (
    CITY,
    LANDLORD,
    PARTNER,
    Place,
    Practice,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
)


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
