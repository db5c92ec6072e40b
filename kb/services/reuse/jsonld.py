"""schema.org descriptions of the public pages, embedded as JSON-LD data blocks.

A practice is a ``Project`` (schema.org files it under ``Organization``); the
properties that belong to a written record (licence, last change, sources) are
a ``CreativeWork``'s, so they sit on the ``WebPage`` whose ``mainEntity`` is the
project. Landlords carry a practice: ``sponsor``; partners take part in it:
``member``. A rendez-vous is an ``Event``; the glossary a ``DefinedTermSet``.
Only what the record holds is stated: an absent field is left out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from kb.config import DEFAULT_LICENCE
from kb.models import CITY, DISTRICT, LANDLORD, PARTNER, Event, GlossaryTerm, Practice
from kb.services.reuse.records import page_url
from kb.services.reuse.schema import LICENCE

CONTEXT = "https://schema.org"


def _licence(text: str) -> str | dict[str, str]:
    if text.strip() == DEFAULT_LICENCE:
        return LICENCE["path"]
    if text.startswith(("http://", "https://")):
        return text
    return {"@type": "CreativeWork", "name": text}


def _stamp(value: dt.datetime | None) -> str | None:
    return value.replace(tzinfo=dt.UTC, microsecond=0).isoformat() if value else None


def _org(name: str, url: str | None = None) -> dict[str, str]:
    return {"@type": "Organization", "name": name, **({"url": url} if url else {})}


def _drop_empty(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, "", [], {})}


def practice_page(practice: Practice, base: str) -> dict[str, Any]:
    """The ``WebPage`` of a practice sheet and the ``Project`` it describes."""
    url = page_url(base, "practice", practice.slug)
    places = [{"@type": "City", "name": p.label} for p in practice.place_list(CITY)]
    places += [{"@type": "Place", "name": p.label} for p in practice.place_list(DISTRICT)]
    project = _drop_empty({
        "@type": "Project", "@id": url + "#pratique", "name": practice.title,
        "description": practice.summary, "url": url, "areaServed": places,
        "sponsor": [_org(o.organisation.name, page_url(base, "landlord", o.organisation.slug))
                    for o in practice.orgs(LANDLORD)],
        "member": [_org(o.organisation.name, page_url(base, "partner", o.organisation.slug))
                   for o in practice.orgs(PARTNER)],
        "keywords": [t.theme.label for t in practice.themes],
        "foundingDate": practice.started, "dissolutionDate": practice.ended,
    })
    sources = [_drop_empty({"@type": "CreativeWork", "name": s.title, "url": s.url,
                            "datePublished": s.date,
                            "publisher": _org(s.publisher) if s.publisher else None})
               for s in practice.sources]
    return _drop_empty({
        "@context": CONTEXT, "@type": "WebPage", "@id": url, "url": url, "name": practice.title,
        "inLanguage": "fr", "license": _licence(practice.licence),
        "dateModified": _stamp(practice.updated_at),
        "lastReviewed": practice.last_verified.isoformat() if practice.last_verified else None,
        "isBasedOn": sources, "mainEntity": project,
    })


def event(event: Event, presented: Sequence[Practice], base: str) -> dict[str, Any]:
    """A rendez-vous and the published practices presented there."""
    url = page_url(base, "event", event.slug)
    return _drop_empty({
        "@context": CONTEXT, "@type": "Event", "@id": url, "url": url, "name": event.title,
        "description": event.summary, "inLanguage": "fr",
        "startDate": event.date.isoformat(),
        "endDate": (event.end_date or event.date).isoformat(),
        "location": {"@type": "Place", "name": event.place} if event.place else None,
        "organizer": [_org(o.organisation.name) for o in event.organisers],
        "keywords": [t.theme.label for t in event.themes],
        "about": [{"@type": "Project", "@id": page_url(base, "practice", p.slug) + "#pratique",
                   "name": p.title, "url": page_url(base, "practice", p.slug)} for p in presented],
    })


def glossary(terms: Sequence[GlossaryTerm], base: str, name: str) -> dict[str, Any]:
    """The glossary page as a ``DefinedTermSet`` of its acronyms."""
    url = base + "/glossaire"
    return {
        "@context": CONTEXT, "@type": "DefinedTermSet", "@id": url, "url": url, "name": name,
        "inLanguage": "fr",
        "hasDefinedTerm": [_drop_empty({
            "@type": "DefinedTerm", "@id": f"{url}#{t.acronym}", "termCode": t.acronym,
            "name": t.expansion, "description": t.definition, "inDefinedTermSet": url,
        }) for t in terms],
    }


def script_text(record: dict[str, Any]) -> str:
    """The JSON of a ``<script type="application/ld+json">`` block: ``<``, ``>`` and ``&`` escaped,
    so that no ``</script>`` or ``<!--`` written by a contributor can end or bend the block."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
