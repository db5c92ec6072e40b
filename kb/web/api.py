"""``/api/v1``: the published practices and rendez-vous as JSON, described by OpenAPI.

Each route is declared once with ``operation``: its path, the query parameters
it reads and the schema of its answer. The same ``Param`` objects parse the
request (strictly: a bad value is a 400 whose ``error`` is in French, or in English
for a client that asks for it: ``?lang=en`` or ``Accept-Language: en``) and write the
OpenAPI document, so the document cannot drift from what the API does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from kb import storage
from kb.search import FACETS
from kb.services import reuse
from kb.services.search import response_json, search_practices
from kb.taxonomy import is_slug
from kb.web import db_session, runtime
from kb.web.api_params import FILTERS, SEARCH_PARAMS, ApiError, Param, Q
from kb.web.api_schema import Operation, document
from kb.web.pages import site_identity
from kb.web.search_log import log_search

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return jsonify(error=error.message), error.status


@bp.errorhandler(500)
def _server_error(_error: Exception):
    return jsonify(error=_("Erreur du serveur : réessayez dans un moment.")), 500


OPERATIONS: list[Operation] = []


def operation(rule: str, summary: str, schema: str, params: tuple[Param, ...] = (),
              media: str = "application/json") -> Callable:
    """Register a GET route whose view receives the parsed query parameters."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        def endpoint(**path: str):
            args = {p.name: p.read(request.args) for p in params}
            response = jsonify(view(args, **path))
            response.mimetype = media
            return response

        # No automatic OPTIONS: the document lists GET only, so anything else answers 405.
        bp.add_url_rule(rule, view.__name__, endpoint, methods=["GET"], provide_automatic_options=False)
        OPERATIONS.append(Operation(rule, view.__name__, summary, params, schema, "<slug>" in rule,
                                    media))
        return view

    return register


def _base() -> str:
    return request.url_root.rstrip("/")


def _filters(args: dict[str, Any]) -> dict[str, list[str]]:
    return {f: [str(v) for v in args[f]] for f in FACETS if args.get(f)}


def _checked_slug(slug: str, not_found: str) -> str:
    if not is_slug(slug):
        raise ApiError(404, not_found)
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
    not_found = _("Pratique introuvable.")
    found = storage.get_practice(session, _checked_slug(slug, not_found))
    if found is None:
        raise ApiError(404, not_found)
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
    not_found = _("Rendez-vous introuvable.")
    found = reuse.get_event(session, _checked_slug(slug, not_found))
    if found is None:
        raise ApiError(404, not_found)
    ((found, shown),) = reuse.events_with_practices(session, [found])
    return reuse.event_record(found, shown, _base(), full=True)


@operation("/catalog.jsonld", "Catalogue DCAT (JSON-LD) des jeux de données : pratiques et "
           "rendez-vous, avec leurs fichiers, leur licence et leur date de mise à jour.", "Catalog",
           media="application/ld+json")
def catalog(_args: dict[str, Any]) -> dict[str, Any]:
    site = site_identity()
    return reuse.catalogue(db_session(), _base(), site_name=site.name, publisher=site.publisher)


@operation("/openapi.json", "Ce document OpenAPI.", "OpenAPI")
def openapi(_args: dict[str, Any]) -> dict[str, Any]:
    return openapi_document()


@bp.get("/<path:_rest>", provide_automatic_options=False)
def not_found(_rest: str):
    """Unknown paths under /api/v1 answer JSON too (not part of the document)."""
    raise ApiError(404, _("Cette adresse n'existe pas dans l'API (voir /api/v1/openapi.json)."))


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.0 description of every operation registered above."""
    return document(bp.url_prefix, OPERATIONS)
