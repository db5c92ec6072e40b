"""Rendez-vous as the pages show them: one with its details, upcoming and past ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.models import Event


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


def latest_past_events(session: Session, today: dt.date, limit: int = 1) -> list[Event]:
    """The ``limit`` most recent events that ended before ``today``, latest first."""
    stmt = (select(Event)
            .where(Event.date < today, (Event.end_date.is_(None)) | (Event.end_date < today))
            .order_by(Event.date.desc(), Event.slug).limit(limit))
    return list(session.scalars(stmt))


def count_past_events(session: Session, today: dt.date) -> int:
    from sqlalchemy import func

    stmt = select(func.count(Event.id)).where(
        Event.date < today, (Event.end_date.is_(None)) | (Event.end_date < today))
    return session.scalar(stmt) or 0
