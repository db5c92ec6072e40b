"""Files for other tools: CSV of a search, iCalendar of the rendez-vous, sitemap, robots.

The CSV uses ``,`` as separator and starts with a UTF-8 BOM so that Excel reads
the accents; a cell holding several values joins them with `` | ``. Every cell is
quoted, and cells that a spreadsheet would run as a formula, read with ``,`` or
``;``, are neutralised with a ``'`` (``kb.services.reuse.spreadsheet``).
The iCalendar writer is hand-made (RFC 5545: CRLF, escaping, folding at 75 octets).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, current_app, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from kb.corpus.fields import strip_controls
from kb.models import CITY, DISTRICT, LANDLORD, PARTNER, Event, Practice
from kb.services import reuse
from kb.services.reuse.spreadsheet import csv_lines
from kb.taxonomy import is_slug
from kb.web import db_session, runtime
from kb.web.search import SearchState

bp = Blueprint("exports", __name__)

# -- CSV ---------------------------------------------------------------------------

CSV_COLUMNS = ("slug", "titre", "résumé", "thèmes", "bailleurs", "partenaires", "villes", "quartiers",
               "statut", "début", "fin", "niveau de preuve", "url")
# The header row in the site's language (the cells stay as stored, in French).
CSV_HEADERS = (_l("slug"), _l("titre"), _l("résumé"), _l("thèmes"), _l("bailleurs"),
               _l("partenaires"), _l("villes"), _l("quartiers"), _l("statut"), _l("début"),
               _l("fin"), _l("niveau de preuve"), _l("url"))
JOIN = " | "


def csv_row(practice: Practice, base: str) -> list[str]:
    """The cells of one practice, in the order of ``CSV_COLUMNS`` (``csv_lines`` neutralises)."""
    cells = [
        practice.slug, practice.title, practice.summary,
        JOIN.join(t.theme.label for t in practice.themes),
        JOIN.join(o.organisation.name for o in practice.orgs(LANDLORD)),
        JOIN.join(o.organisation.name for o in practice.orgs(PARTNER)),
        JOIN.join(p.label for p in practice.place_list(CITY)),
        JOIN.join(p.label for p in practice.place_list(DISTRICT)),
        practice.status or "", practice.started or "", practice.ended or "", practice.evidence or "",
        reuse.page_url(base, "practice", practice.slug),
    ]
    return cells


# An export of thousands of rows costs seconds of CPU (1 ms a row): one at a time per
# process, so that pages keep their share of the server; the others get 503 and
# Retry-After. The rows are streamed (one line in memory) and capped at reuse.EXPORT_CAP.
CSV_EXPORTS = 1
_exports = threading.BoundedSemaphore(CSV_EXPORTS)


@bp.get("/recherche.csv")
def search_csv() -> Response:
    """Every result of the /recherche query string (up to reuse.EXPORT_CAP), as CSV."""
    if not _exports.acquire(blocking=False):
        return Response(_("Plusieurs exports sont en cours : réessayez dans quelques secondes."),
                        status=503, mimetype="text/plain", headers={"Retry-After": "5"})
    lock = threading.Lock()
    held = [True]

    def release() -> None:  # once: at the last line sent, or when the server closes
        with lock:
            if held[0]:
                held[0] = False
                _exports.release()

    try:
        response = _search_csv(release)
    except BaseException:
        release()
        raise
    response.call_on_close(release)
    return response


def _search_csv(release: Callable[[], None]) -> Response:
    state = SearchState.from_args(request.args)
    session, base = db_session(), request.url_root.rstrip("/")
    slugs = reuse.search_all_slugs(session, runtime().index, state.text, state.filters, state.sort)
    rows = (csv_row(p, base) for p in reuse.practices_in_order(session, slugs))
    header = [str(column) for column in CSV_HEADERS]

    def lines() -> Iterator[str]:
        try:
            yield from csv_lines(rows, header)
        finally:
            release()

    response = Response(stream_with_context(lines()), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="kb-pratiques.csv"'
    return response


# -- iCalendar ---------------------------------------------------------------------

CRLF = "\r\n"


def ical_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks; no control character."""
    value = strip_controls(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ical_fold(line: str, width: int = 75) -> str:
    """Fold a content line into lines of at most ``width`` octets, never inside a character."""
    data, parts = line.encode("utf-8"), []
    while len(data) > width:
        cut = width
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        parts.append(data[:cut])
        data = b" " + data[cut:]
    parts.append(data)
    return CRLF.join(part.decode("utf-8") for part in parts)


def _ical_event(event: Event, presented: Sequence[Practice], base: str, host: str,
                stamp: str) -> list[str]:
    url = reuse.page_url(base, "event", event.slug)
    description = [event.summary or ""]
    if event.organisers:
        description.append(_("Organisé par : %(names)s",
                             names=", ".join(o.organisation.name for o in event.organisers)))
    if presented:
        description.append(_("Pratiques présentées :") + "\n" + "\n".join(
            f"- {p.title} : {reuse.page_url(base, 'practice', p.slug)}" for p in presented))
    description.append(url)
    end = (event.end_date or event.date) + dt.timedelta(days=1)  # DTEND of a date is exclusive
    lines = [
        "BEGIN:VEVENT",
        f"UID:rendez-vous-{event.slug}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{ical_text(event.title)}",
        f"DESCRIPTION:{ical_text(chr(10).join(d for d in description if d).strip())}",
        f"URL:{url}",
    ]
    if event.place:
        lines.append(f"LOCATION:{ical_text(event.place)}")
    if event.themes:
        lines.append("CATEGORIES:" + ",".join(ical_text(t.theme.label) for t in event.themes))
    return [*lines, "END:VEVENT"]


def icalendar(pairs: Sequence[tuple[Event, Sequence[Practice]]], *, base: str, host: str,
              name: str, now: dt.datetime | None = None) -> str:
    """A VCALENDAR holding one VEVENT per rendez-vous."""
    stamp = f"{(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kb//Pratiques du logement social//FR",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{ical_text(name)}"]
    for event, presented in pairs:
        lines += _ical_event(event, presented, base, host, stamp)
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + CRLF for line in lines)


def _calendar(pairs: Sequence[tuple[Event, Sequence[Practice]]], name: str) -> Response:
    body = icalendar(pairs, base=request.url_root.rstrip("/"), host=request.host.split(":")[0],
                     name=name)
    return Response(body, content_type="text/calendar; charset=utf-8")


@bp.get("/rendez-vous.ics")
def agenda_ics() -> Response:
    """Every rendez-vous, for a calendar subscription."""
    return _calendar(reuse.events_with_practices(db_session()), _("kb · rendez-vous"))


@bp.get("/rendez-vous/<slug>.ics")
def event_ics(slug: str) -> Response:
    """One rendez-vous, to add to a calendar."""
    session = db_session()
    event = reuse.get_event(session, slug) if is_slug(slug) else None
    if event is None:
        abort(404)
    return _calendar(reuse.events_with_practices(session, [event]), f"kb · {event.title}")


# -- sitemap and robots ------------------------------------------------------------

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Pages of the site not about one thing; kept only when a route serves them.
FIXED_PAGES = ("/", "/themes", "/bailleurs", "/villes", "/rendez-vous", "/panorama", "/a-propos",
               "/partenaires", "/mentions-legales")


def _served(path: str) -> str | None:
    """``path``, or where its route redirects, if the app serves it; else None."""
    try:
        current_app.url_map.bind("localhost").match(path, method="GET")
    except RequestRedirect as redirect:
        return urlsplit(redirect.new_url).path
    except HTTPException:
        return None
    return path


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Fixed pages, every published practice, value page and rendez-vous."""
    base = request.url_root.rstrip("/")
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    entries = [(path, None) for path in FIXED_PAGES]
    entries += [(reuse.PATHS[kind].format(slug=slug), changed)
                for kind, slug, changed in reuse.sitemap_entries(db_session())]
    for path, changed in entries:
        if (served := _served(path)) is None:
            continue
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = base + served
        if changed is not None:
            ET.SubElement(url, "lastmod").text = changed.date().isoformat()
    body = ET.tostring(urlset, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body,
                    content_type="application/xml; charset=utf-8")


@bp.get("/robots.txt")
def robots() -> Response:
    """Everything public may be crawled, the API included; private links may not."""
    sitemap_url = request.url_root.rstrip("/") + "/sitemap.xml"
    # A contributor's follow-up link and the moderators' pages are nobody's search result.
    private = "Disallow: /moderation\nDisallow: /contribuer/suivi/\n"
    return Response(f"User-agent: *\nAllow: /\n{private}\nSitemap: {sitemap_url}\n",
                    content_type="text/plain; charset=utf-8")
