"""The web layer: one blueprint a module, all calling kb.services / kb.storage."""

from __future__ import annotations

from importlib import import_module

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from kb.runtime import Runtime

# Blueprint modules, each exposing ``bp``; registered in this order.
BLUEPRINTS = (
    "pages",      # home, about
    "search",     # /recherche
    "practices",  # /pratiques/<slug>
    "browse",     # /themes, /bailleurs, /villes and their value pages
    "events",     # /rendez-vous
    "panorama",   # /panorama (charts, SVG map)
    "api",        # /api/v1/...
    "feeds",      # Atom feeds
    "exports",    # CSV, iCalendar, sitemap.xml, robots.txt
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
    app.teardown_appcontext(_close_session)
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f"kb.web.{name}").bp)
