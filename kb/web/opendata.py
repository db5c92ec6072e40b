"""Open data: the Table Schema of the practices CSV, the .xlsx download of a list, and the page
that explains it all (/donnees).

The DCAT catalogue itself is part of the API (``/api/v1/catalog.jsonld``).
"""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, Response, render_template, request
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from kb.services import reuse
from kb.services.contributions.sheets import template_workbook
from kb.services.reuse.schema import LICENCE, VERSION, schema_json
from kb.services.reuse.spreadsheet import neutralise
from kb.web import db_session, runtime
from kb.web.exports import CSV_HEADERS, csv_row
from kb.web.pages import site_identity
from kb.web.search import SearchState

bp = Blueprint("opendata", __name__)


@bp.get("/schema/pratiques.json")
def practices_schema() -> Response:
    """The Table Schema, with this instance's address as its home page."""
    return Response(schema_json(request.url_root.rstrip("/")),
                    content_type="application/schema+json; charset=utf-8")


@bp.get("/donnees")
def page() -> str:
    changed = reuse.last_change(db_session())
    return render_template("pages/opendata.html", base=request.url_root.rstrip("/"),
                           schema_version=VERSION, last_change=changed.date() if changed else None)


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    """A cell stored as text, whatever it starts with: a spreadsheet never runs it as a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


@bp.get("/recherche.xlsx")
def search_xlsx() -> Response:
    """The /recherche list as .xlsx: the CSV's columns and cells, then a sheet saying what it is."""
    state = SearchState.from_args(request.args)
    session, base = db_session(), request.url_root.rstrip("/")
    slugs = reuse.search_all_slugs(session, runtime().index, state.text, state.filters, state.sort)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pratiques")
    sheet.append([_text_cell(sheet, str(h)) for h in CSV_HEADERS])
    for practice in reuse.practices_in_order(session, slugs):
        # The CSV's cells exactly, neutralised the same way (a copy pasted into a CSV stays inert).
        sheet.append([_text_cell(sheet, neutralise(cell)) for cell in csv_row(practice, base)])
    about = book.create_sheet("À propos")
    query = request.query_string.decode("utf-8", "replace")
    for label, value in (
            ("Source", f"{site_identity().name} : {base}/recherche" + (f"?{query}" if query else "")),
            ("Éditeur", site_identity().publisher or "non renseigné"),
            ("Licence", f"{LICENCE['title']} ({LICENCE['path']}), sauf mention contraire sur une pratique"),
            ("Date de l’export", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
            ("Pratiques", str(len(slugs))),
            ("Colonnes", f"{base}/schema/pratiques.json (les cellules sont celles du CSV, "
                         "formules neutralisées par une apostrophe)")):
        about.append([_text_cell(about, label), _text_cell(about, value)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = Response(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument."
                                                        "spreadsheetml.sheet")
    response.headers["Content-Disposition"] = 'attachment; filename="kb-pratiques.xlsx"'
    return response


@bp.get("/donnees/modele-pratiques.xlsx")
def sheet_template() -> Response:
    """The spreadsheet ``kb import-sheet`` reads, with an example row and a sheet per column."""
    response = Response(template_workbook(), content_type="application/vnd.openxmlformats-"
                                                          "officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = 'attachment; filename="modele-pratiques.xlsx"'
    return response
