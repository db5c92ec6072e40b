"""The home page and the about page."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template

from kb.services import browse
from kb.services.search import search_practices
from kb.web import db_session, runtime

bp = Blueprint("pages", __name__)

LATEST = 5
HOME_VALUES = 12  # per facet on the home page; the browse pages list them all


@bp.get("/")
def home() -> str:
    session = db_session()
    response = search_practices(session, runtime().index, "", limit=LATEST, sort="recent")
    today = dt.date.today()
    upcoming = browse.upcoming_events(session, today)
    return render_template(
        "pages/home.html",
        response=response,
        cards=browse.practice_cards(session, [h.slug for h in response.hits]),
        facets={name: response.facets.get(name, []) for name in ("theme", "landlord", "city")},
        home_values=HOME_VALUES,
        upcoming=upcoming,
        past_count=0 if upcoming else browse.count_past_events(session, today),
    )


@bp.get("/a-propos")
def about() -> str:
    return render_template("pages/about.html")
