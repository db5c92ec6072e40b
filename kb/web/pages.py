"""Minimal pages: the list of practices and one practice."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from kb import storage
from kb.taxonomy import is_slug
from kb.web import db_session

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    practices = storage.find_practices(db_session())
    return render_template("pages/home.html", practices=practices)


@bp.get("/pratiques/<slug>")
def practice(slug: str) -> str:
    if not is_slug(slug):
        abort(404)
    found = storage.get_practice(db_session(), slug)
    if found is None:
        abort(404)
    return render_template("pages/practice.html", practice=found)
