"""Open data: the Table Schema of the practices CSV and the page that explains it all (/donnees).

The DCAT catalogue itself is part of the API (``/api/v1/catalog.jsonld``).
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from kb.services import reuse
from kb.services.reuse.schema import VERSION, schema_json
from kb.web import db_session

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
