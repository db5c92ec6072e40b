"""``/pratiques/<slug>``: one published practice as a sheet, and its Markdown file.

The sheet puts the key facts right under the title (landlords, partners,
place, status, years, audiences, evidence level), every one of them shown even
when unknown ("non renseigné"), then the write-up, the sources and the actions.
"""

from __future__ import annotations

import importlib.util
import mimetypes
import re
from functools import cache
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.security import safe_join

from kb import storage
from kb.config import DEFAULT_LICENCE
from kb.corpus.dump import dump_practice
from kb.models import CITY, DISTRICT, EVIDENCE_LEVELS, LANDLORD, PARTNER
from kb.rendering import render_markdown
from kb.services import browse, glossary
from kb.services.contributions.revisions import current_html
from kb.services.reuse import jsonld
from kb.services.search import related_practices
from kb.taxonomy import is_slug
from kb.web import db_session, runtime
from kb.web.contribute_form import SECTION_LABELS
from kb.web.i18n import current_locale

bp = Blueprint("practices", __name__)

RELATED = 4


def _published(slug: str):
    practice = storage.get_practice(db_session(), slug) if is_slug(slug) else None
    if practice is None:
        abort(404)
    return practice


@cache
def pdf_available() -> bool:
    """Whether WeasyPrint (the optional ``pdf`` extra) is installed."""
    return importlib.util.find_spec("weasyprint") is not None


# The section headings a body is written with (kb.corpus.SECTIONS), as rendered.
_SECTION_HEADING = re.compile("<h2>(" + "|".join(map(re.escape, SECTION_LABELS)) + ")</h2>")


def section_headings_in(locale: str, body: Markup) -> Markup:
    """The body with its section headings in the page's language: the write-up stays
    French, but its headings are the interface's (marked with their own language)."""
    if str(locale) == "fr":
        return body
    return Markup(_SECTION_HEADING.sub(
        lambda m: f'<h2 lang="{escape(str(locale))}">{escape(str(SECTION_LABELS[m[1]]))}</h2>', str(body)))


def _sheet(slug: str) -> str:
    session = db_session()
    practice = _published(slug)
    cities = [(place.slug, place.label) for place in practice.place_list(CITY)]
    districts = [place.label for place in practice.place_list(DISTRICT)]
    # Rendered when its revision was saved; an imported practice without history renders here.
    stored = current_html(session, practice)
    html = Markup(stored) if stored else render_markdown(practice.body)
    summary, body = glossary.mark_practice(session, practice.summary, html)
    body = section_headings_in(current_locale(), body)
    return render_template(
        "practices/show.html",
        practice=practice,
        summary=summary,
        body=body,
        landlords=[link.organisation for link in practice.orgs(LANDLORD)],
        partners=practice.orgs(PARTNER),
        places=browse.place_lines(cities, districts),
        evidence_levels=EVIDENCE_LEVELS,
        licence=practice.licence or DEFAULT_LICENCE,
        page_url=url_for("practices.show", slug=slug, _external=True),
        inspirations=browse.published_titles(session, [i.target_slug for i in practice.inspirations]),
        inspired=browse.inspired_practices(session, slug),
        related=related_practices(session, runtime().index, slug, RELATED),
        pdf_available=pdf_available(),
        jsonld=Markup(jsonld.script_text(jsonld.practice_page(practice, request.url_root.rstrip("/")))),
    )


@bp.get("/pratiques/<slug>")
def show(slug: str) -> str:
    return _sheet(slug)


def _local_asset(url: str):
    """Let WeasyPrint read the site's own static files from disk, and nothing else."""
    from weasyprint.urls import URLFetcherResponse

    path = urlsplit(url).path
    name = path.removeprefix("/static/") if path.startswith("/static/") else None
    file = safe_join(current_app.static_folder, name) if name else None
    if file is None:
        raise ValueError(f"ressource externe ignorée dans le PDF : {url}")
    with open(file, "rb") as handle:
        return URLFetcherResponse(url, body=handle.read(), headers={
            "Content-Type": mimetypes.guess_type(file)[0] or "application/octet-stream"})


@bp.get("/pratiques/<slug>/fiche.pdf")
def pdf(slug: str) -> Response:
    """The sheet as its print stylesheet lays it out, made by WeasyPrint (optional)."""
    if not pdf_available():
        abort(404)
    from weasyprint import HTML

    page = _sheet(slug)
    document = HTML(string=page, base_url=url_for("practices.show", slug=slug, _external=True),
                    url_fetcher=_local_asset, media_type="print")
    return Response(document.write_pdf(), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{slug}.pdf"'})


@bp.get("/pratiques/<slug>/fiche.md")
def markdown(slug: str) -> Response:
    """The practice file of a published practice, as ``kb export`` writes it."""
    text = dump_practice(storage.practice_record(_published(slug)))
    return Response(text, mimetype="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="{slug}.md"'})
