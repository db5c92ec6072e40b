"""``/pratiques/<slug>``: one published practice as a sheet, and its Markdown file.

The sheet puts the key facts right under the title (landlords, partners,
place, status, years, audiences, evidence level), every one of them shown even
when unknown ("non renseigné"), then the write-up, the sources and the actions.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, url_for

from kb import storage
from kb.config import DEFAULT_LICENCE
from kb.corpus.dump import dump_practice
from kb.models import CITY, DISTRICT, EVIDENCE_LEVELS, LANDLORD, PARTNER
from kb.rendering import render_markdown
from kb.services import browse
from kb.services.search import related_practices
from kb.taxonomy import is_slug
from kb.web import db_session, runtime

bp = Blueprint("practices", __name__)

RELATED = 4


def _published(slug: str):
    practice = storage.get_practice(db_session(), slug) if is_slug(slug) else None
    if practice is None:
        abort(404)
    return practice


@bp.get("/pratiques/<slug>")
def show(slug: str) -> str:
    session = db_session()
    practice = _published(slug)
    cities = [(place.slug, place.label) for place in practice.place_list(CITY)]
    districts = [place.label for place in practice.place_list(DISTRICT)]
    return render_template(
        "practices/show.html",
        practice=practice,
        body=render_markdown(practice.body),
        landlords=[link.organisation for link in practice.orgs(LANDLORD)],
        partners=practice.orgs(PARTNER),
        places=browse.place_lines(cities, districts),
        evidence_levels=EVIDENCE_LEVELS,
        licence=practice.licence or DEFAULT_LICENCE,
        page_url=url_for("practices.show", slug=slug, _external=True),
        inspirations=browse.published_titles(session, [i.target_slug for i in practice.inspirations]),
        inspired=browse.inspired_practices(session, slug),
        related=related_practices(session, runtime().index, slug, RELATED),
    )


@bp.get("/pratiques/<slug>/fiche.md")
def markdown(slug: str) -> Response:
    """The practice file of a published practice, as ``kb export`` writes it."""
    text = dump_practice(storage.practice_record(_published(slug)))
    return Response(text, mimetype="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="{slug}.md"'})
