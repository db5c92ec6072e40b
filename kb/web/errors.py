"""Error pages in the site's layout; JSON under ``/api/``; a 503 when the database is away."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

ERROR_MESSAGES = {
    400: (_l("Requête invalide"),
          _l("Ce qui a été envoyé est mal formé. Revenez à la page précédente et recommencez.")),
    404: (_l("Page introuvable"),
          _l("Cette page n’existe pas, ou plus. La pratique a peut-être été retirée ou renommée.")),
    405: (_l("Méthode non autorisée"), _l("Cette adresse ne s’utilise pas de cette façon.")),
    413: (_l("Envoi trop volumineux"), _l("Ce que vous avez envoyé dépasse la taille acceptée.")),
    500: (_l("Erreur du serveur"),
          _l("Une erreur inattendue s’est produite. Elle a été enregistrée ; réessayez dans un moment.")),
    503: (_l("Service momentanément indisponible"),
          _l("Le site est en maintenance ou surchargé. Réessayez dans quelques minutes.")),
}

log = logging.getLogger(__name__)


def init_errors(app: Flask) -> None:
    for code in ERROR_MESSAGES:
        app.register_error_handler(code, _error_page)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)


def _error_page(error: HTTPException) -> tuple[str | dict, int, dict[str, str]]:
    code = error.code or 500
    title, message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    headers = {}
    if code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if request.path.startswith("/api/"):
        return {"error": f"{title} : {message}"}, code, headers
    try:
        body = render_template("errors/error.html", code=code, title=title, message=message)
    except Exception:  # the error page itself must never fail
        log.exception("error page %s failed to render", code)
        body = f"<!doctype html><html lang=fr><title>{code}</title><h1>{code}</h1>"
    return body, code, headers


def release_session() -> None:
    """Drop this request's read session (its connection may be dead)."""
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except Exception:  # a dead connection may fail to close; it is discarded anyway
            log.debug("closing a session on a dead connection failed", exc_info=True)


def database_unavailable(error: Exception):
    """The site-wide 503 answer (blueprints that give a form back call it for the rest)."""
    return _database_unavailable(error)


def _database_unavailable(error: Exception):
    """The database is down or locked for too long: a clear 503, and the next request retries.

    pool_pre_ping (kb.db) replaces dead connections, so the site recovers by
    itself when the database is back, without a restart.
    """
    log.warning("database unavailable: %s", error.__class__.__name__)
    release_session()
    headers = {"Retry-After": "30"}
    if request.path.startswith("/api/"):
        title, message = ERROR_MESSAGES[503]
        return {"error": str(message)}, 503, headers
    body, code, _ = _error_page(ServiceUnavailable())
    return body, code, headers
