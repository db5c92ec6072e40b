"""The records of the API and exports: a practice (short or full) and a rendez-vous."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import CITY, DISTRICT, LANDLORD, PARTNER, Event, EventPractice, Practice
from kb.rendering import render_markdown
from kb.services.reuse.queries import published_slugs
from kb.taxonomy import slugify

# Public pages, relative to the site root; the browse and practice blueprints serve them.
PATHS = {
    "practice": "/pratiques/{slug}",
    "theme": "/themes/{slug}",
    "landlord": "/bailleurs/{slug}",
    "partner": "/partenaires/{slug}",
    "city": "/villes/{slug}",
    "event": "/rendez-vous/{slug}",
}


def page_url(base: str, kind: str, slug: str) -> str:
    """The absolute URL of the public page of a practice, value or rendez-vous."""
    return base + PATHS[kind].format(slug=slug)


def _named(slug: str, label: str) -> dict[str, str]:
    return {"slug": slug, "label": label}


def _value(label: str | None) -> dict[str, str] | None:
    return _named(slugify(label), label) if label else None


def practice_summary(practice: Practice, base: str) -> dict[str, Any]:
    """The short record of a practice, as lists and the CSV export show it."""
    return {
        "slug": practice.slug,
        "title": practice.title,
        "summary": practice.summary,
        "themes": [_named(t.theme.slug, t.theme.label) for t in practice.themes],
        "landlords": [_named(o.organisation.slug, o.organisation.name)
                      for o in practice.orgs(LANDLORD)],
        "cities": [_named(p.slug, p.label) for p in practice.place_list(CITY)],
        "status": _value(practice.status),
        "evidence": _value(practice.evidence),
        "started": practice.started,
        "ended": practice.ended,
        "updated_at": _stamp(practice.updated_at),
        "url": page_url(base, "practice", practice.slug),
    }


def practice_full(session: Session, practice: Practice, base: str) -> dict[str, Any]:
    """Every field of the practice file (same names) plus links; no contributor data."""
    published = published_slugs(session, [i.target_slug for i in practice.inspirations])
    events = session.scalars(select(Event).where(Event.presentations.any(
        EventPractice.practice_slug == practice.slug)).order_by(Event.date, Event.slug))
    return {
        **practice_summary(practice, base),
        "partners": [{**_named(o.organisation.slug, o.organisation.name), "role": o.role}
                     for o in practice.orgs(PARTNER)],
        "districts": [_named(p.slug, p.label) for p in practice.place_list(DISTRICT)],
        "audiences": [_named(a.audience.slug, a.audience.label) for a in practice.audiences],
        "inspired_by": [s for s in (i.target_slug for i in practice.inspirations) if s in published],
        "sources": [{"title": s.title, "url": s.url, "date": s.date, "publisher": s.publisher}
                    for s in practice.sources],
        "contact": practice.contact,
        "licence": practice.licence,
        "last_verified": practice.last_verified.isoformat() if practice.last_verified else None,
        "created_at": _stamp(practice.created_at),
        "body": practice.body,
        "body_html": str(render_markdown(practice.body)),
        "rendez_vous": [{"slug": e.slug, "title": e.title, "date": e.date.isoformat(),
                         "url": page_url(base, "event", e.slug)} for e in events],
    }


def event_record(event: Event, presented: Sequence[Practice], base: str, *,
                 full: bool = False) -> dict[str, Any]:
    """A rendez-vous with the published practices presented; ``full`` adds body and sources."""
    record: dict[str, Any] = {
        "slug": event.slug,
        "title": event.title,
        "date": event.date.isoformat(),
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "place": event.place,
        "summary": event.summary,
        "organisers": [_named(o.organisation.slug, o.organisation.name) for o in event.organisers],
        "themes": [_named(t.theme.slug, t.theme.label) for t in event.themes],
        "practices": [{"slug": p.slug, "title": p.title, "url": page_url(base, "practice", p.slug)}
                      for p in presented],
        "url": page_url(base, "event", event.slug),
    }
    if full:
        record["body"] = event.body
        record["body_html"] = str(render_markdown(event.body))
        record["sources"] = [{"title": s.title, "url": s.url, "date": s.date,
                              "publisher": s.publisher} for s in event.sources]
    return record


def _stamp(value: dt.datetime | None) -> str | None:
    """Database times are naive UTC; say so."""
    return value.replace(tzinfo=dt.UTC, microsecond=0).isoformat() if value else None
