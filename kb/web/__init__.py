"""The web layer: one blueprint a module, all calling kb.services / kb.storage.

Besides registering the blueprints, ``init_app`` sets up what every page shares:

- **Languages.** French is the source language: every string a user reads is
  written in French in the code and templates, wrapped in ``_()``. English lives
  in ``kb/translations/en/LC_MESSAGES/messages.po`` (committed). A wheel ships
  the compiled ``.mo`` (setup.py builds it); in a git checkout the ``.mo`` is
  compiled next to the ``.po`` when the app starts if it is missing or older,
  so a fresh clone works without ``pybabel compile``. The locale comes
  from ``?lang=fr|en`` (then remembered in a cookie), else the cookie, else the
  browser's Accept-Language, else French. To update the catalogue::

      pybabel extract -F kb/translations/babel.cfg -o kb/translations/messages.pot .
      pybabel update -i kb/translations/messages.pot -d kb/translations

- **Security headers** on every response, static files and errors included;
  ``Strict-Transport-Security`` too when ``KB_HSTS_SECONDS`` is set (> 0).
- **Error pages** in the site's layout for 400, 404, 405, 413, 500 and 503;
  under ``/api/`` every error is JSON (``{"error": ...}``), 405 included.
- **Input that breaks libraries** is refused with a 400 before they see it: a
  multipart part without a name (Flask-WTF's CSRF check fails on it with an
  AttributeError, an upstream fault guarded here). Integers in URLs are bounded
  (``BoundedInt``) so an out-of-range id is a 404, not a database overflow.
"""

from __future__ import annotations

import logging
import os
import tempfile
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, render_template, request
from flask_babel import Babel, format_date, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest, HTTPException, ServiceUnavailable
from werkzeug.routing import IntegerConverter

from kb.corpus.fields import CONTROL_RE
from kb.runtime import Runtime

# Blueprint modules, each exposing ``bp``; registered in this order.
BLUEPRINTS = (
    "pages",      # home, about
    "search",     # /recherche
    "practices",  # /pratiques/<slug>
    "browse",     # /themes, /bailleurs, /villes and their value pages
    "partners",   # /partenaires and a page per partner
    "events",     # /rendez-vous
    "panorama",   # /panorama (charts, SVG map)
    "api",        # /api/v1/...
    "feeds",      # Atom feeds
    "exports",    # CSV, iCalendar, sitemap.xml, robots.txt
    "contribute",  # /contribuer, corrections, public history
    "moderation",  # /moderation (login required)
    "glossary",   # /glossaire, /glossaire/proposer, /moderation/glossaire
    "search_log",  # /moderation/recherches (login required)
)

LOCALES = ("fr", "en")
LANG_COOKIE = "kb_lang"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}

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


def runtime() -> Runtime:
    return current_app.extensions["kb"]


def db_session() -> Session:
    """The request's read session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = runtime().read_sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


# -- languages ----------------------------------------------------------------

def select_locale() -> str:
    """``?lang=``, then the language cookie, then Accept-Language, then French."""
    for asked in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if asked in LOCALES:
            return asked
    return request.accept_languages.best_match(LOCALES, default="fr") or "fr"


def translation_dir(source: Path = TRANSLATIONS) -> Path:
    """The folder of compiled catalogues (``*/LC_MESSAGES/messages.mo``).

    An installed kb ships them compiled in its wheel (setup.py builds them) and
    never compiles at run time. Run from a git checkout, where the ``.mo`` files
    are not committed, a missing or stale one is compiled next to its ``.po``.
    """
    from kb.config import IN_CHECKOUT

    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not IN_CHECKOUT:
            # Installers do not keep file times: only the presence of the .mo says anything.
            if not mo.exists():
                raise RuntimeError(f"kb est mal installé : {mo} manque ; construisez la roue avec "
                                   "« python -m build », qui compile les traductions")
            continue
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            _compile_catalogue(po, mo)
    return source


def _compile_catalogue(po: Path, mo: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    # Written aside then renamed: two workers starting together never read half a file.
    fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    with os.fdopen(fd, "wb") as handle:
        write_mo(handle, catalog)
    os.replace(tmp, mo)


def _remember_language(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LOCALES and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    response.vary.update(("Accept-Language", "Cookie"))
    return response


# -- headers, errors, template helpers ----------------------------------------

def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _hsts(response: Response) -> Response:
    seconds = int(current_app.config.get("HSTS_SECONDS") or 0)
    if seconds > 0:
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={seconds}; includeSubDomains")
    return response


class BoundedInt(IntegerConverter):
    """``<int:...>`` limited to what every database column of ids holds."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=2**31 - 1 if max is None else max, signed=signed)


def _refuse_broken_input() -> None:
    """Refuse, before any view, what would break a library or a database.

    A form part without a name crashes Flask-WTF's CSRF check; a NUL character
    in a form is refused by PostgreSQL. Other control characters are refused field by
    field, with a message, by the form's checks.
    """
    if request.method == "POST" and request.mimetype == "multipart/form-data" and (
            None in request.form or None in request.files):
        raise BadRequest()
    if request.method == "POST":  # what a POST carries may be stored; queries are only read
        for key, value in request.form.items(multi=True):
            if "\x00" in key or "\x00" in value:
                raise BadRequest()


def _finalize(value):
    """Every ``{{ value }}`` of a template, without control characters (invalid in HTML)."""
    if isinstance(value, str) and CONTROL_RE.search(value):
        cleaned = CONTROL_RE.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


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


def _database_unavailable(error: Exception):
    """The database is down or locked for too long: a clear 503, and the next request retries.

    pool_pre_ping (kb.db) replaces dead connections, so the site recovers by
    itself when the database is back, without a restart.
    """
    log.warning("database unavailable: %s", error.__class__.__name__)
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except Exception:  # a dead connection may fail to close; it is discarded anyway
            log.debug("closing a session on a dead connection failed", exc_info=True)
    headers = {"Retry-After": "30"}
    if request.path.startswith("/api/"):
        title, message = ERROR_MESSAGES[503]
        return {"error": str(message)}, 503, headers
    body, code, _ = _error_page(ServiceUnavailable())
    return body, code, headers


def lang_url(code: str) -> str:
    """The current page in language ``code``."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.path}?{urlencode([*args, ('lang', code)])}"


def format_day(value) -> str:
    """A date in words in the page's language: « 2 janvier 2025 »."""
    return format_date(value, "long") if value else ""


def format_partial_date(value: str | None) -> str:
    """``2021`` stays a year; ``2021-03`` becomes « mars 2021 »; a full date reads in words."""
    import datetime as dt

    if not value:
        return ""
    try:
        if len(value) == 7:
            return format_date(dt.date.fromisoformat(f"{value}-01"), "MMMM y")
        if len(value) == 10:
            return format_day(dt.date.fromisoformat(value))
    except ValueError:
        pass
    return value


def external_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) address, else None (never a javascript: link)."""
    from urllib.parse import urlsplit

    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _template_globals() -> dict:
    locale = str(get_locale() or "fr")
    return {
        "current_locale": locale,
        # Practices are written in French: their text is marked so when the interface is not.
        "fr": Markup(' lang="fr"') if locale != "fr" else "",
        "other_locale": "en" if locale == "fr" else "fr",
        "lang_url": lang_url,
    }


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "fr")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translation_dir()))
    Babel(app, locale_selector=select_locale)
    app.teardown_appcontext(_close_session)
    app.after_request(_remember_language)
    app.after_request(_security_headers)
    app.after_request(_hsts)
    app.before_request(_refuse_broken_input)  # before CSRFProtect's hook (init_security)
    app.jinja_env.finalize = _finalize
    app.url_map.converters["int"] = BoundedInt
    for code in ERROR_MESSAGES:
        app.register_error_handler(code, _error_page)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
    app.context_processor(_template_globals)
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_partial_date, "partial_date")
    app.add_template_filter(external_url, "external_url")
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f"kb.web.{name}").bp)
    # CSRF on every form, cookie flags, size limit, rate limiter: one set per app.
    import_module("kb.web.security").init_security(app)
    _init_sessions(app)


def _init_sessions(app: Flask) -> None:
    """Moderator sessions: KB_SESSION_HOURS long (12 by default), logins limited per account."""
    import datetime as dt

    from kb.services.contributions.ratelimit import Rate

    hours = float(app.config.get("SESSION_HOURS") or 12)
    if hours <= 0:
        raise ValueError("KB_SESSION_HOURS must be a positive number of hours")
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=hours)
    app.config.setdefault("LOGIN_ACCOUNT_RATE", "8/15 minutes")
    app.extensions["kb_rates"]["login_account"] = Rate.parse(app.config["LOGIN_ACCOUNT_RATE"])
