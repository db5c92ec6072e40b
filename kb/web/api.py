"""``/api/v1``: the published practices and rendez-vous as JSON, described by OpenAPI.

Each route is declared once with ``operation``: its path, the query parameters
it reads and the schema of its answer. The same ``Param`` objects parse the
request (strictly: a bad value is a 400 with a French ``error``) and write the
OpenAPI document, so the document cannot drift from what the API does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.datastructures import MultiDict

from kb import storage
from kb.models import EVIDENCE_LEVELS, PRACTICE_STATUSES
from kb.search import FACETS, SORTS
from kb.services import reuse
from kb.services.search import MAX_LIMIT, response_json, search_practices
from kb.taxonomy import SLUG_MAX, SLUG_RE, is_slug, slugify
from kb.web import db_session, runtime
from kb.web.search_log import log_search

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_TEXT = 200
MAX_VALUES = 20
MAX_OFFSET = 10_000
_INTEGER = re.compile(r"-?[0-9]{1,9}")


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return jsonify(error=error.message), error.status


@bp.errorhandler(500)
def _server_error(_error: Exception):
    return jsonify(error="Erreur du serveur : réessayez dans un moment."), 500


@dataclass(frozen=True)
class Param:
    """A query parameter: how to read it and how OpenAPI describes it."""

    name: str
    description: str
    type: str = "string"  # or "integer"
    many: bool = False
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None

    def schema(self) -> dict[str, Any]:
        item: dict[str, Any] = {"type": self.type}
        if self.enum:
            item["enum"] = list(self.enum)
        if self.type == "string" and not self.enum:
            item["maxLength"] = MAX_TEXT
        for key, value in (("minimum", self.minimum), ("maximum", self.maximum)):
            if value is not None:
                item[key] = value
        if self.many:
            return {"type": "array", "items": item, "maxItems": MAX_VALUES}
        if self.default is not None:
            item["default"] = self.default
        return item

    def read(self, args: MultiDict) -> Any:
        values = args.getlist(self.name)
        if not self.many:
            return self._one(values[0]) if values else self.default
        if len(values) > MAX_VALUES:
            raise ApiError(400, f"Le paramètre « {self.name} » est répété plus de {MAX_VALUES} fois.")
        return [self._one(v) for v in values]

    def _one(self, raw: str) -> Any:
        if self.type == "integer":
            if not _INTEGER.fullmatch(raw):
                raise ApiError(400, f"Le paramètre « {self.name} » doit être un nombre entier.")
            value = int(raw)
            if (self.minimum is not None and value < self.minimum) or (
                    self.maximum is not None and value > self.maximum):
                raise ApiError(400, f"Le paramètre « {self.name} » doit être compris entre "
                                    f"{self.minimum} et {self.maximum}.")
            return value
        if self.enum and raw not in self.enum:
            raise ApiError(400, f"Valeur inconnue pour « {self.name} » : attendu "
                                f"{', '.join(self.enum)}.")
        if len(raw) > MAX_TEXT:
            raise ApiError(400, f"Le paramètre « {self.name} » dépasse {MAX_TEXT} caractères.")
        return raw


def _filter(name: str, what: str, **kw: Any) -> Param:
    return Param(name, f"{what} Répété : l'un ou l'autre (OU) ; filtres différents : ET.",
                 many=True, **kw)


Q = Param("q", "Texte recherché : mots, « expression exacte » entre guillemets, -mot pour exclure.",
          default="")
FILTERS = (
    _filter("theme", "Thème : identifiant (slug) ou libellé."),
    _filter("landlord", "Bailleur : identifiant, nom ou alias (« 3F »)."),
    _filter("partner", "Partenaire (organisation non bailleur) : identifiant, nom ou alias."),
    _filter("city", "Ville : identifiant ou nom."),
    _filter("audience", "Public : identifiant ou libellé."),
    _filter("status", "Statut (identifiant).", enum=tuple(slugify(s) for s in PRACTICE_STATUSES)),
    _filter("evidence", "Niveau de preuve (identifiant).",
            enum=tuple(slugify(e) for e in EVIDENCE_LEVELS)),
    _filter("year", "Année de démarrage.", type="integer", minimum=1900, maximum=2100),
)
LIMIT = Param("limit", "Nombre de résultats renvoyés.", type="integer", minimum=1, maximum=MAX_LIMIT,
              default=20)
OFFSET = Param("offset", "Nombre de résultats sautés (pagination).", type="integer", minimum=0,
               maximum=MAX_OFFSET, default=0)
SORT = Param("sort", "Ordre : pertinence (titre sans texte recherché), plus récentes, titre.",
             enum=SORTS, default="relevance")
SEARCH_PARAMS = (Q, *FILTERS, LIMIT, OFFSET, SORT)


@dataclass(frozen=True)
class Operation:
    rule: str  # Flask rule, relative to /api/v1
    endpoint: str
    summary: str
    params: tuple[Param, ...]
    schema: str  # component name of the 200 answer
    not_found: bool  # may answer 404


OPERATIONS: list[Operation] = []


def operation(rule: str, summary: str, schema: str, params: tuple[Param, ...] = ()) -> Callable:
    """Register a GET route whose view receives the parsed query parameters."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        def endpoint(**path: str):
            args = {p.name: p.read(request.args) for p in params}
            return jsonify(view(args, **path))

        # No automatic OPTIONS: the document lists GET only, so anything else answers 405.
        bp.add_url_rule(rule, view.__name__, endpoint, methods=["GET"], provide_automatic_options=False)
        OPERATIONS.append(Operation(rule, view.__name__, summary, params, schema, "<slug>" in rule))
        return view

    return register


def _base() -> str:
    return request.url_root.rstrip("/")


def _filters(args: dict[str, Any]) -> dict[str, list[str]]:
    return {f: [str(v) for v in args[f]] for f in FACETS if args.get(f)}


def _checked_slug(slug: str, what: str) -> str:
    if not is_slug(slug):
        raise ApiError(404, f"{what} introuvable.")
    return slug


@operation("/practices", "Pratiques publiées, filtrées et paginées.", "PracticeList", SEARCH_PARAMS)
def practices(args: dict[str, Any]) -> dict[str, Any]:
    session = db_session()
    response = reuse.search_page(session, runtime().index, args["q"], _filters(args),
                                 limit=args["limit"], offset=args["offset"], sort=args["sort"])
    found = reuse.practices_in_order(session, [hit.slug for hit in response.hits])
    return {"total": response.total, "limit": args["limit"], "offset": args["offset"],
            "items": [reuse.practice_summary(p, _base()) for p in found]}


@operation("/practices/<slug>", "Une pratique publiée, avec tous ses champs.", "Practice")
def practice(_args: dict[str, Any], slug: str) -> dict[str, Any]:
    session = db_session()
    found = storage.get_practice(session, _checked_slug(slug, "Pratique"))
    if found is None:
        raise ApiError(404, "Pratique introuvable.")
    return reuse.practice_full(session, found, _base())


@operation("/search", "Recherche plein texte : la forme de « kb search --json ».", "SearchResponse",
           SEARCH_PARAMS)
def search(args: dict[str, Any]) -> dict[str, Any]:
    response = search_practices(db_session(), runtime().index, args["q"], _filters(args),
                                limit=args["limit"], offset=args["offset"], sort=args["sort"])
    if args["offset"] == 0:
        log_search(args["q"], _filters(args), response.total)
    return response_json(response)


@operation("/facets", "Valeurs des filtres et leur nombre de pratiques.", "FacetsResponse",
           (Q, *FILTERS))
def facets(args: dict[str, Any]) -> dict[str, Any]:
    answer = response_json(search_practices(db_session(), runtime().index, args["q"], _filters(args),
                                            limit=1))
    return {"total": answer["total"], "facets": answer["facets"]}


@operation("/rendez-vous", "Tous les rendez-vous, par date.", "EventList")
def events(_args: dict[str, Any]) -> dict[str, Any]:
    pairs = reuse.events_with_practices(db_session())
    return {"total": len(pairs),
            "items": [reuse.event_record(e, shown, _base()) for e, shown in pairs]}


@operation("/rendez-vous/<slug>", "Un rendez-vous et les pratiques publiées qui y sont présentées.",
           "Event")
def event(_args: dict[str, Any], slug: str) -> dict[str, Any]:
    session = db_session()
    found = reuse.get_event(session, _checked_slug(slug, "Rendez-vous"))
    if found is None:
        raise ApiError(404, "Rendez-vous introuvable.")
    ((found, shown),) = reuse.events_with_practices(session, [found])
    return reuse.event_record(found, shown, _base(), full=True)


@operation("/openapi.json", "Ce document OpenAPI.", "OpenAPI")
def openapi(_args: dict[str, Any]) -> dict[str, Any]:
    return openapi_document()


@bp.get("/<path:_rest>", provide_automatic_options=False)
def not_found(_rest: str):
    """Unknown paths under /api/v1 answer JSON too (not part of the document)."""
    raise ApiError(404, "Cette adresse n'existe pas dans l'API (voir /api/v1/openapi.json).")


# -- the OpenAPI document ----------------------------------------------------------


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
                           "Mots de la recherche absents de cette pratique (résultat partiel)."})),
        partial={"type": "boolean", "description":
                 "Vrai quand des pratiques ne contenant qu'une partie des mots suivent "
                 "celles qui les contiennent tous."},
        missing_terms={**_list(STR), "description":
                       "Mots de la recherche qu'aucune pratique (filtres compris) ne contient."}),
    "FacetsResponse": _obj("*", total=INT, facets=_ref("Facets")),
    "EventSummary": _obj(
        "*", slug=STR, title=STR, date={**STR, "format": "date"},
        end_date={**NSTR, "format": "date"}, place=NSTR, summary=NSTR, organisers=NAMED,
        themes=NAMED, practices=_list(_obj("*", slug=STR, title=STR, url=URL)), url=URL),
    "EventList": _obj("*", total=INT, items=_list(_ref("EventSummary"))),
    "Event": {"allOf": [_ref("EventSummary"), _obj(
        "*", body=STR, body_html=STR, sources=SOURCES)]},
    "OpenAPI": _obj("openapi info paths", openapi=STR, info={"type": "object"},
                    paths={"type": "object"}),
}


def _answer(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _describe(op: Operation) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {"name": p.name, "in": "query", "required": False, "description": p.description,
         "schema": p.schema(), **({"style": "form", "explode": True} if p.many else {})}
        for p in op.params]
    if op.not_found:
        params.insert(0, {"name": "slug", "in": "path", "required": True, "description": "Identifiant.",
                          "schema": {"type": "string", "pattern": SLUG_RE.pattern,
                                     "maxLength": SLUG_MAX}})
    responses = {"200": _answer("Succès.", op.schema)}
    if op.params:
        responses["400"] = _answer("Paramètre invalide.", "Error")
    if op.not_found:
        responses["404"] = _answer("Introuvable (ou non publié).", "Error")
    return {"operationId": op.endpoint, "summary": op.summary, "parameters": params,
            "responses": responses}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.0 description of every operation registered above."""
    paths = {bp.url_prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", op.rule): {"get": _describe(op)}
             for op in OPERATIONS}
    return {
        "openapi": "3.0.3",
        "info": {"title": "kb : pratiques du logement social", "version": "1.0.0",
                 "description": "Pratiques publiées et rendez-vous, en lecture seule. "
                                "Erreurs : {\"error\": \"message\"} avec le statut 400 ou 404.",
                 "license": {"name": "Licence Ouverte 2.0 (contenus)"}},
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
