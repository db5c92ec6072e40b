"""The OpenAPI 3.0 document of ``/api/v1``: answer schemas and one description per operation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kb.search import FACETS
from kb.taxonomy import SLUG_MAX, SLUG_RE
from kb.web.api_params import Param


@dataclass(frozen=True)
class Operation:
    rule: str  # Flask rule, relative to /api/v1
    endpoint: str
    summary: str
    params: tuple[Param, ...]
    schema: str  # component name of the 200 answer
    not_found: bool  # may answer 404
    media: str = "application/json"  # the answer's content type


def _obj(required: str, **props: Any) -> dict[str, Any]:
    """An object schema; ``required`` names space-separated, '*' for every property."""
    names = list(props) if required == "*" else required.split()
    return {"type": "object", "required": names, "properties": props}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


STR, INT = {"type": "string"}, {"type": "integer", "minimum": 0}
NSTR = {"type": "string", "nullable": True}
URL = {"type": "string", "format": "uri"}
NAMED = _list(_ref("Named"))
SOURCES = _list(_obj("title", title=STR, url=NSTR, date=NSTR, publisher=NSTR))
SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": _obj("*", error={"type": "string", "description": "Message en français."}),
    "Named": _obj("*", slug=STR, label=STR),
    "NullableNamed": {**_obj("*", slug=STR, label=STR), "nullable": True},
    "PracticeSummary": _obj(
        "*", slug=STR, title=STR, summary=STR, themes=NAMED, landlords=NAMED, cities=NAMED,
        status=_ref("NullableNamed"), evidence=_ref("NullableNamed"), started=NSTR, ended=NSTR,
        updated_at={**NSTR, "format": "date-time"}, url=URL),
    "PracticeList": _obj("*", total=INT, limit=INT, offset=INT, items=_list(_ref("PracticeSummary"))),
    "Practice": {"allOf": [_ref("PracticeSummary"), _obj(
        "*", partners=_list(_obj("*", slug=STR, label=STR, role=NSTR)), districts=NAMED,
        audiences=NAMED, inspired_by=_list(STR),
        sources=SOURCES, contact=NSTR, licence=STR, last_verified={**NSTR, "format": "date"},
        created_at={**NSTR, "format": "date-time"}, body={**STR, "description": "Markdown."},
        body_html={**STR, "description": "Le corps en HTML assaini."},
        rendez_vous=_list(_obj("*", slug=STR, title=STR, date={**STR, "format": "date"}, url=URL)))]},
    "FacetValue": _obj("*", value=STR, label=STR, count=INT),
    "Facets": _obj("*", **{name: _list(_ref("FacetValue")) for name in FACETS}),
    "SearchResponse": _obj(
        "total suggestion facets results", total=INT, suggestion=NSTR, facets=_ref("Facets"),
        results=_list(_obj(
            "slug title score snippet", slug=STR, title=STR, score={"type": "number"},
            snippet={**STR, "description": "HTML : texte échappé et <mark>."},
            missing_terms={**_list(STR), "description":
                           "Mots de la recherche absents de cette pratique (résultat partiel)."},
            by_meaning={"type": "boolean", "description":
                        "Vrai pour une pratique trouvée par le sens seul (aucun mot de la "
                        "recherche) : après les autres, hors du total."})),
        partial={"type": "boolean", "description":
                 "Vrai quand aucune pratique (filtres compris) ne contient tous les mots : "
                 "les résultats n'en contiennent qu'une partie."},
        missing_terms={**_list(STR), "description":
                       "Mots de la recherche qu'aucune pratique (filtres compris) ne contient."},
        expanded={**_list(STR), "description":
                  "Termes du thésaurus auxquels la recherche a été élargie et que des "
                  "résultats contiennent (ajouté avec le thésaurus)."},
        unknown_terms={**_list(STR), "description":
                       "Mots de la recherche qu'aucune pratique publiée ne contient, "
                       "sous aucune forme."}),
    "FacetsResponse": _obj("*", total=INT, facets=_ref("Facets")),
    "EventSummary": _obj(
        "*", slug=STR, title=STR, date={**STR, "format": "date"},
        end_date={**NSTR, "format": "date"}, place=NSTR, summary=NSTR, organisers=NAMED,
        themes=NAMED, practices=_list(_obj("*", slug=STR, title=STR, url=URL)), url=URL),
    "EventList": _obj("*", total=INT, items=_list(_ref("EventSummary"))),
    "Event": {"allOf": [_ref("EventSummary"), _obj(
        "*", body=STR, body_html=STR, sources=SOURCES)]},
    # JSON-LD (DCAT): checked here for its frame only; its triples are the catalogue's tests'.
    "Catalog": _obj("@context @id @type dcat:dataset", **{
        "@context": {"type": "object"}, "@id": URL, "@type": {"type": "string", "enum": ["dcat:Catalog"]},
        "dcat:dataset": _list({"type": "object"})}),
    "OpenAPI": _obj("openapi info paths", openapi=STR, info={"type": "object"},
                    paths={"type": "object"}),
}


def _answer(description: str, schema: str, media: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": _ref(schema)}}}


def _describe(op: Operation) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {"name": p.name, "in": "query", "required": False, "description": p.description,
         "schema": p.schema(), **({"style": "form", "explode": True} if p.many else {})}
        for p in op.params]
    if op.not_found:
        params.insert(0, {"name": "slug", "in": "path", "required": True, "description": "Identifiant.",
                          "schema": {"type": "string", "pattern": SLUG_RE.pattern,
                                     "maxLength": SLUG_MAX}})
    responses = {"200": _answer("Succès.", op.schema, op.media)}
    if op.params:
        responses["400"] = _answer("Paramètre invalide.", "Error")
    if op.not_found:
        responses["404"] = _answer("Introuvable (ou non publié).", "Error")
    return {"operationId": op.endpoint, "summary": op.summary, "parameters": params,
            "responses": responses}


def document(prefix: str, operations: list[Operation]) -> dict[str, Any]:
    """The OpenAPI document of ``operations``, their rules relative to ``prefix``."""
    paths = {prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", op.rule): {"get": _describe(op)}
             for op in operations}
    return {
        "openapi": "3.0.3",
        "info": {"title": "kb : pratiques du logement social", "version": "1.0.0",
                 "description": "Pratiques publiées et rendez-vous, en lecture seule. "
                                "Erreurs : {\"error\": \"message\"} avec le statut 400 ou 404.",
                 "license": {"name": "Licence Ouverte 2.0 (contenus)"}},
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
