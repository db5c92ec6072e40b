"""Rendez-vous: save, read back as records, list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.corpus import EventRecord, SourceRef
from kb.models import Event, EventOrganiser, EventPractice, EventTheme
from kb.storage.practices import identity_hash, source_rows
from kb.storage.resolver import Resolver


def save_event(session: Session, resolver: Resolver, record: EventRecord,
               existing: Event | None) -> str:
    digest = identity_hash(record, resolver)
    if existing is not None and existing.content_hash == digest:
        return "unchanged"
    event = existing or Event(slug=record.slug)
    if existing is not None:
        for collection in (event.organisers, event.themes, event.presentations, event.sources):
            collection.clear()
        session.flush()
    else:
        session.add(event)
    for field_ in ("title", "date", "end_date", "place", "summary", "body"):
        setattr(event, field_, getattr(record, field_))
    event.content_hash = digest
    event.organisers.extend(EventOrganiser(organisation=resolver.organisation(n), position=i)
                            for i, n in enumerate(record.organisers))
    event.themes.extend(EventTheme(theme=resolver.theme(t), position=i)
                        for i, t in enumerate(record.themes))
    event.presentations.extend(EventPractice(practice_slug=s, position=i)
                               for i, s in enumerate(record.practices))
    event.sources.extend(source_rows(record.sources))
    return "updated" if existing is not None else "created"


def event_record(event: Event) -> EventRecord:
    return EventRecord(
        slug=event.slug, title=event.title, date=event.date, end_date=event.end_date,
        organisers=[o.organisation.name for o in event.organisers], place=event.place,
        themes=[t.theme.label for t in event.themes], summary=event.summary,
        practices=[p.practice_slug for p in event.presentations],
        sources=[SourceRef(s.title, s.url, s.date, s.publisher) for s in event.sources],
        body=event.body,
    )


def find_events(session: Session) -> list[Event]:
    stmt = select(Event).options(
        selectinload(Event.organisers), selectinload(Event.themes),
        selectinload(Event.presentations), selectinload(Event.sources),
    ).order_by(Event.date, Event.slug)
    return list(session.scalars(stmt))
