"""``/pratiques/<slug>``: one published practice as a sheet, and its Markdown file.

The sheet puts the key facts right under the title (landlords, partners,
place, status, years, audiences, evidence level), every one of them shown even
when unknown ("non renseigné"), then the write-up, the sources and the actions.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import mimetypes
import os
import re
import threading
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.exceptions import TooManyRequests
from werkzeug.security import safe_join

from kb import storage
from kb.config import DEFAULT_LICENCE
from kb.corpus.dump import dump_practice
from kb.models import CITY, DISTRICT, EVIDENCE_LEVELS, LANDLORD, PARTNER
from kb.rendering import render_markdown
from kb.services import browse, glossary
from kb.services.contributions.ratelimit import Rate
from kb.services.contributions.revisions import current_html
from kb.services.reuse import jsonld
from kb.services.search import related_practices
from kb.taxonomy import is_slug
from kb.web import db_session, runtime
from kb.web.contribute_form import SECTION_LABELS
from kb.web.i18n import current_locale
from kb.web.security import client_key

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


# A PDF is rendered once per published state of its sheet and kept, derived data beside
# the index folder (<KB_HOME>/pdf/ by default; KB_PDF_DIR elsewhere), as
# <slug>/<hash of the sheet's HTML>.pdf: a new revision, a glossary or
# related-practice change makes a new sheet, hence a new file (the older one is removed).
# A render costs up to 1.6 s of CPU at the body maximum, so renders are bounded: a few
# at once per process (others get 503 and Retry-After) and KB_PDF_RATE per client.
PDF_RENDERS = 2
PDF_RATE = "10/minute"
_renders = threading.BoundedSemaphore(PDF_RENDERS)
log = logging.getLogger(__name__)


def _pdf_response(data: bytes, slug: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{slug}.pdf"'})


def _keep(folder: Path, name: str, data: bytes) -> None:
    """Write ``folder/name`` atomically and drop the older PDFs of the practice; a full
    disk only costs the next request a render."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            tmp.write_bytes(data)
            os.replace(tmp, folder / name)
        finally:
            tmp.unlink(missing_ok=True)
        for old in folder.glob("*.pdf"):
            if old.name != name:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("PDF of %s not kept (%s): rendered again next time", folder.name, exc)


@bp.get("/pratiques/<slug>/fiche.pdf")
def pdf(slug: str) -> Response:
    """The sheet as its print stylesheet lays it out, made by WeasyPrint (optional)."""
    if not pdf_available():
        abort(404)
    page = _sheet(slug)
    root = current_app.config.get("PDF_DIR") or runtime().settings.index_dir.parent / "pdf"
    folder = Path(root) / slug
    name = hashlib.sha256(page.encode()).hexdigest()[:32] + ".pdf"
    with contextlib.suppress(OSError):
        return _pdf_response((folder / name).read_bytes(), slug)
    limiter = current_app.extensions["kb_limiter"]
    rate = Rate.parse(current_app.config.get("PDF_RATE") or PDF_RATE)
    verdict = limiter.hit(f"pdf:{client_key()}", rate)
    if not verdict.allowed:
        raise TooManyRequests(retry_after=verdict.retry_after)
    if not _renders.acquire(blocking=False):
        # Said in a short page of its own: the error page would drop Retry-After.
        return Response(_("Plusieurs fiches PDF sont en cours de fabrication : réessayez dans "
                          "quelques secondes."), status=503, mimetype="text/plain",
                        headers={"Retry-After": "5"})
    try:
        from weasyprint import HTML

        document = HTML(string=page, base_url=url_for("practices.show", slug=slug, _external=True),
                        url_fetcher=_local_asset, media_type="print")
        data = document.write_pdf()
    finally:
        _renders.release()
    _keep(folder, name, data)
    return _pdf_response(data, slug)


@bp.get("/pratiques/<slug>/fiche.md")
def markdown(slug: str) -> Response:
    """The practice file of a published practice, as ``kb export`` writes it."""
    text = dump_practice(storage.practice_record(_published(slug)))
    return Response(text, mimetype="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="{slug}.md"'})
