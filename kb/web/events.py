"""``/rendez-vous``: conferences and meetings where practices are presented."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup

from kb import storage
from kb.rendering import render_markdown
from kb.services import browse, reuse
from kb.services.reuse import jsonld
from kb.taxonomy import is_slug
from kb.web import db_session

bp = Blueprint("events", __name__)


@bp.get("/rendez-vous")
def index() -> str:
    upcoming, past = browse.split_events(storage.find_events(db_session()), dt.date.today())
    return render_template("events/index.html", upcoming=upcoming, past=past)


@bp.get("/rendez-vous/<slug>")
def show(slug: str) -> str:
    if not is_slug(slug):
        abort(404)
    session = db_session()
    event = browse.find_event(session, slug)
    if event is None:
        abort(404)
    return render_template(
        "events/show.html",
        event=event,
        body=render_markdown(event.body),
        upcoming=browse.is_upcoming(event, dt.date.today()),
        practices=browse.published_titles(session, [p.practice_slug for p in event.presentations]),
        jsonld=Markup(jsonld.script_text(jsonld.event(
            *reuse.events_with_practices(session, [event])[0], request.url_root.rstrip("/")))),
    )
