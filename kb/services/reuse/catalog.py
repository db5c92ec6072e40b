"""The DCAT catalogue of an instance (``/api/v1/catalog.jsonld``), in JSON-LD.

Two datasets: the published practices and the rendez-vous, each with its
distributions (files and API). It follows the fields data.gouv.fr's DCAT
harvester maps (``dct:title``, ``dct:description``, ``dcat:keyword``,
``dct:issued``, ``dct:modified``, ``dcat:distribution`` with ``dcat:accessURL``
/ ``dcat:downloadURL``, ``dct:format``, ``dct:license``). The ``@context`` is
inline so that a harvester needs no other site to read it. Dates come from the
database: rendez-vous carry no change time, so their dataset states none rather
than an invented one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kb.models import Event, EventTheme, Practice, Theme
from kb.services.reuse.queries import count_published, counts_by
from kb.services.reuse.schema import LICENCE

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:issued": {"@type": "xsd:dateTime"},
    "dct:modified": {"@type": "xsd:dateTime"},
    "dct:license": {"@type": "@id"},
    "dct:conformsTo": {"@type": "@id"},
    "dct:language": {"@type": "@id"},
    "dct:format": {"@type": "@id"},
    "dcat:accessURL": {"@type": "@id"},
    "dcat:downloadURL": {"@type": "@id"},
    "dcat:mediaType": {"@type": "@id"},
    "dcat:landingPage": {"@type": "@id"},
    "foaf:homepage": {"@type": "@id"},
    "dcat:keyword": {"@container": "@set"},
}
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGES = [EU + "language/FRA", EU + "language/ENG"]  # the interface; records are in French
FORMATS = {"CSV": EU + "file-type/CSV", "JSON": EU + "file-type/JSON",
           "ATOM": EU + "file-type/ATOM", "ICS": EU + "file-type/ICS"}
IANA = "https://www.iana.org/assignments/media-types/"
MEDIA = {"CSV": IANA + "text/csv", "JSON": IANA + "application/json",
         "ATOM": IANA + "application/atom+xml", "ICS": IANA + "text/calendar"}


def _stamp(value: dt.datetime | None) -> str | None:
    """Database times are naive UTC."""
    return value.replace(tzinfo=dt.UTC, microsecond=0).isoformat() if value else None


def _distribution(base: str, path: str, kind: str, title: str, description: str, *,
                  download: bool, conforms_to: str | None = None) -> dict[str, Any]:
    url = base + path
    record: dict[str, Any] = {
        "@id": url + "#distribution", "@type": "dcat:Distribution",
        "dct:title": title, "dct:description": description,
        "dcat:accessURL": url, "dct:format": FORMATS[kind], "dcat:mediaType": MEDIA[kind],
        "dct:license": LICENCE["path"],
    }
    if download:
        record["dcat:downloadURL"] = url
    if conforms_to:
        record["dct:conformsTo"] = conforms_to
    return record


def _event_themes(session: Session) -> list[str]:
    stmt = (select(Theme.label).join(EventTheme, EventTheme.theme_id == Theme.id)
            .group_by(Theme.label).order_by(Theme.label))
    return list(session.scalars(stmt))


def catalogue(session: Session, base: str, *, site_name: str, publisher: str | None) -> dict[str, Any]:
    """The ``dcat:Catalog`` of this instance, every URL absolute on ``base``."""
    first, last = session.execute(select(func.min(Practice.created_at), func.max(Practice.updated_at))
                                  .where(Practice.published.is_(True))).one()
    events = session.scalar(select(func.count(Event.id))) or 0
    licence = LICENCE["path"]
    practices: dict[str, Any] = {
        "@id": base + "/donnees#pratiques", "@type": "dcat:Dataset",
        "dct:title": "Pratiques du logement social",
        "dct:description": f"Les {count_published(session)} pratiques publiées : actions menées par "
                           "des bailleurs sociaux et leurs partenaires, avec leurs thèmes, lieux, "
                           "statut, niveau de preuve et sources.",
        "dcat:keyword": [c.label for c in counts_by(session, "theme")],
        "dct:license": licence, "dct:language": LANGUAGES[0],
        "dcat:landingPage": base + "/recherche",
        "dct:conformsTo": base + "/schema/pratiques.json",
        "dcat:distribution": [
            _distribution(base, "/recherche.csv", "CSV", "Pratiques (CSV)",
                          "Toutes les pratiques publiées, une ligne chacune (UTF-8 avec BOM) ; "
                          "les paramètres de /recherche filtrent l’export.",
                          download=True, conforms_to=base + "/schema/pratiques.json"),
            _distribution(base, "/api/v1/practices", "JSON", "API des pratiques (JSON)",
                          "Pratiques paginées et filtrables ; décrite par /api/v1/openapi.json.",
                          download=False, conforms_to=base + "/api/v1/openapi.json"),
            _distribution(base, "/flux.atom", "ATOM", "Nouvelles pratiques (Atom)",
                          "Les dernières pratiques publiées ou modifiées.", download=False),
        ],
    }
    if first is not None:
        practices["dct:issued"] = _stamp(first)
        practices["dct:modified"] = _stamp(last)
    rendez_vous: dict[str, Any] = {
        "@id": base + "/donnees#rendez-vous", "@type": "dcat:Dataset",
        "dct:title": "Rendez-vous",
        "dct:description": f"Les {events} rendez-vous (journées d’échanges, ateliers) et les "
                           "pratiques qui y sont présentées.",
        "dcat:keyword": _event_themes(session),
        "dct:license": licence, "dct:language": LANGUAGES[0],
        "dcat:landingPage": base + "/rendez-vous",
        "dcat:distribution": [
            _distribution(base, "/api/v1/rendez-vous", "JSON", "API des rendez-vous (JSON)",
                          "Tous les rendez-vous, par date ; décrite par /api/v1/openapi.json.",
                          download=False, conforms_to=base + "/api/v1/openapi.json"),
            _distribution(base, "/rendez-vous.ics", "ICS", "Agenda (iCalendar)",
                          "Tous les rendez-vous, pour un abonnement d’agenda.", download=True),
        ],
    }
    catalog: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": base + "/api/v1/catalog.jsonld", "@type": "dcat:Catalog",
        "dct:title": site_name,
        "dct:description": "Catalogue des données ouvertes de cette base de pratiques du logement "
                           "social.",
        "foaf:homepage": base + "/",
        "dct:license": licence, "dct:language": LANGUAGES,
        "dcat:dataset": [practices, rendez_vous],
    }
    if last is not None:
        catalog["dct:modified"] = _stamp(last)
    if publisher:
        agent = {"@id": base + "/donnees#editeur", "@type": "foaf:Agent", "foaf:name": publisher}
        catalog["dct:publisher"] = agent
        practices["dct:publisher"] = rendez_vous["dct:publisher"] = {"@id": agent["@id"]}
    return catalog


def last_change(session: Session) -> dt.datetime | None:
    """When a published practice last changed (naive UTC), None when none is published."""
    return session.scalar(select(func.max(Practice.updated_at)).where(Practice.published.is_(True)))
