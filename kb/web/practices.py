"""``/pratiques/<slug>``: one published practice, its links and related practices."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from markupsafe import Markup

from kb import storage
from kb.config import DEFAULT_LICENCE
from kb.models import CITY, DISTRICT, LANDLORD, PARTNER
from kb.rendering import render_markdown
from kb.services import browse
from kb.services.contributions.revisions import current_html
from kb.services.search import related_practices
from kb.taxonomy import is_slug
from kb.web import db_session, runtime

bp = Blueprint("practices", __name__)

RELATED = 4


@bp.get("/pratiques/<slug>")
def show(slug: str) -> str:
    if not is_slug(slug):
        abort(404)
    session = db_session()
    practice = storage.get_practice(session, slug)
    if practice is None:
        abort(404)
    return render_template(
        "practices/show.html",
        practice=practice,
        # Rendered when its revision was saved; an imported practice without history renders here.
        body=Markup(stored) if (stored := current_html(session, practice)) else render_markdown(
            practice.body),
        landlords=[link.organisation for link in practice.orgs(LANDLORD)],
        partners=practice.orgs(PARTNER),
        cities=practice.place_list(CITY),
        districts=practice.place_list(DISTRICT),
        licence=practice.licence or DEFAULT_LICENCE,
        inspirations=browse.published_titles(session, [i.target_slug for i in practice.inspirations]),
        inspired=browse.inspired_practices(session, slug),
        related=related_practices(db_session(), runtime().index, slug, RELATED),
    )
