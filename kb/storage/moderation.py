"""Moderation: notifications, queue and journal lookups."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import (
    PENDING,
    Contribution,
    Moderator,
    Practice,
)


def moderators_notified_each_time(session: Session) -> list[Moderator]:
    """Active moderators who asked for one message per submission."""
    return list(session.scalars(select(Moderator).where(Moderator.active.is_(True),
                                                        Moderator.notify == "each")))


def next_pending_contribution(session: Session, exclude: int) -> Contribution | None:
    """The oldest proposal still waiting, other than ``exclude``."""
    return session.scalars(
        select(Contribution).where(Contribution.status == PENDING, Contribution.id != exclude)
        .order_by(Contribution.created_at, Contribution.id).limit(1)).first()


def contributions_by_id(session: Session, ids: list[int]) -> list[Contribution]:
    return list(session.scalars(select(Contribution).where(Contribution.id.in_(ids))))


def practice_titles(session: Session, slugs: list[str]) -> dict[str, str]:
    """Slug -> title of the practices named, published or not (for moderators only)."""
    rows = session.execute(select(Practice.slug, Practice.title).where(Practice.slug.in_(slugs)))
    return {slug: title for slug, title in rows}
