"""The web layer: one blueprint a module, all calling kb.services."""

from __future__ import annotations

from flask import Flask, g

from kb.runtime import Runtime


def runtime() -> Runtime:
    from flask import current_app

    return current_app.extensions["kb"]


def db_session():
    """The request's read session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = runtime().read_sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    from kb.web import pages

    app.teardown_appcontext(_close_session)
    app.register_blueprint(pages.bp)
