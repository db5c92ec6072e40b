"""The web layer: one blueprint a module, all calling kb.services / kb.storage.

Besides registering the blueprints, ``init_app`` sets up what every page shares
(each in a module of its own: ``i18n``, ``hardening``, ``errors``, ``templating``):

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

from importlib import import_module

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from kb.runtime import Runtime
from kb.web.errors import init_errors
from kb.web.hardening import init_hardening
from kb.web.i18n import init_i18n
from kb.web.templating import init_templating

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
    "opendata",   # /donnees, /schema/pratiques.json
    "contribute",  # /contribuer, corrections, public history
    "moderation",  # /moderation (login required)
    "glossary",   # /glossaire, /glossaire/proposer, /moderation/glossaire
    "thesaurus",  # /thesaurus, /thesaurus/proposer, /moderation/thesaurus
    "search_log",  # /moderation/recherches (login required)
)


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


def init_app(app: Flask) -> None:
    init_i18n(app)
    app.teardown_appcontext(_close_session)
    init_hardening(app)
    init_templating(app)
    init_errors(app)
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f"kb.web.{name}").bp)
    # CSRF on every form, cookie flags, size limit, rate limiter: one set per app.
    import_module("kb.web.security").init_security(app)
    _init_sessions(app)


def _init_sessions(app: Flask) -> None:
    """Moderator sessions: KB_SESSION_HOURS long (12 by default), logins limited per
    (account, client) and per client (see kb.web.moderation.access)."""
    import datetime as dt

    from kb.services.contributions.ratelimit import Rate

    hours = float(app.config.get("SESSION_HOURS") or 12)
    if hours <= 0:
        raise ValueError("KB_SESSION_HOURS must be a positive number of hours")
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=hours)
    app.config.setdefault("LOGIN_ACCOUNT_RATE", "8/15 minutes")
    app.config.setdefault("LOGIN_CLIENT_RATE", "30/hour")
    app.extensions["kb_rates"]["login_account"] = Rate.parse(app.config["LOGIN_ACCOUNT_RATE"])
    app.extensions["kb_rates"]["login_client"] = Rate.parse(app.config["LOGIN_CLIENT_RATE"])
