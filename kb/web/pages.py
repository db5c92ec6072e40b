"""The home page, the about page, the legal notice, and the site's identity in every page.

The identity (``KB_SITE_NAME``, ``KB_PUBLISHER``, ``KB_CONTACT_EMAIL``,
``KB_LEGAL_NOTICE``) is read once when the app is built and offered to every
template as ``site``. ``search_hints()`` gives every search box examples taken
from the corpus itself (its most frequent theme, city and landlord), so that
each example leads to results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, current_app, g, render_template, url_for

from kb.config import SiteIdentity
from kb.rendering import render_markdown
from kb.services import browse
from kb.services.search import facet_overview, hit_cards, search_practices
from kb.web import db_session, runtime
from kb.web.labels import vocab

bp = Blueprint("pages", __name__)

LATEST = 5
HOME_VALUES = 12  # per facet on the home page; the browse pages list them all
HINT_FACETS = (("theme", "browse.theme"), ("city", "browse.city"), ("landlord", "browse.landlord"))


@bp.record_once
def _read_identity(state) -> None:
    state.app.extensions["kb_site"] = SiteIdentity.from_mapping(state.app.config)


def site_identity() -> SiteIdentity:
    return current_app.extensions["kb_site"]


@dataclass(frozen=True)
class Hint:
    label: str  # in the page's language where the registry translates it (themes)
    url: str
    translated: bool = False  # else the label is French, marked so on an English page


def search_hints() -> list[Hint]:
    """The most frequent theme, city and landlord of the published practices, once a request."""
    if "search_hints" not in g:
        response = facet_overview(runtime().index)
        hints = []
        for facet, endpoint in HINT_FACETS:
            values = response.facets.get(facet, [])
            if values:
                top = max(values, key=lambda v: (v.count, -len(v.label)))
                shown = vocab(top.label, facet)
                hints.append(Hint(shown, url_for(endpoint, slug=top.value), shown != top.label))
        g.search_hints = hints
    return g.search_hints


@bp.app_context_processor
def _site_globals() -> dict:
    return {"site": site_identity(), "search_hints": search_hints}


@bp.get("/")
def home() -> str:
    session = db_session()
    response = search_practices(session, runtime().index, "", limit=LATEST, sort="recent")
    today = dt.date.today()
    upcoming = browse.upcoming_events(session, today)
    return render_template(
        "pages/home.html",
        response=response,
        cards=hit_cards(response.hits),
        facets={name: response.facets.get(name, []) for name in ("theme", "landlord", "city")},
        home_values=HOME_VALUES,
        upcoming=upcoming,
        # With nothing to come, the latest one shows what kb's rendez-vous are, marked past.
        latest_past=[] if upcoming else browse.latest_past_events(session, today),
        past_count=0 if upcoming else browse.count_past_events(session, today),
    )


@bp.get("/a-propos")
def about() -> str:
    return render_template("pages/about.html")


@bp.get("/mentions-legales")
def legal() -> str:
    site = site_identity()
    notice = render_markdown(site.legal_notice) if site.legal_notice else None
    return render_template("pages/legal.html", notice=notice, section="pages.legal")
