"""``/themes``, ``/bailleurs``, ``/villes``: every value with its count, and a page per value.

A value page is the search page with one filter fixed (same partials, same
facets). Only values with at least one published practice are reachable,
besides the registry's themes and organisations, which are shown even when
none of their practices is published yet.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_babel import lazy_gettext as _l

from kb.services import browse
from kb.services.search import search_practices
from kb.taxonomy import fold, is_slug
from kb.web import db_session, runtime
from kb.web.labels import vocab, vocab_lang
from kb.web.search import SearchState, run_search, search_page

bp = Blueprint("browse", __name__)

LISTS = {
    "theme": ("browse.themes", "browse.theme", "/themes", _l("Thèmes")),
    "landlord": ("browse.landlords", "browse.landlord", "/bailleurs", _l("Bailleurs")),
    "city": ("browse.cities", "browse.city", "/villes", _l("Villes")),
}
INTROS = {
    "theme": _l("Les thèmes des pratiques publiées, avec leur nombre de pratiques."),
    "landlord": _l("Les bailleurs sociaux qui portent les pratiques publiées, "
                   "avec leur nombre de pratiques."),
    "city": _l("Les communes où les pratiques publiées sont menées, avec leur nombre de pratiques."),
}


def _value_list(facet: str) -> str:
    response = search_practices(db_session(), runtime().index, "", limit=1)
    values = sorted(response.facets.get(facet, []), key=lambda v: (fold(v.label), v.value))
    list_endpoint, value_endpoint, prefix, title = LISTS[facet]
    descriptions = browse.theme_descriptions(db_session()) if facet == "theme" else {}
    return render_template("browse/list.html", facet=facet, values=values, title=title,
                           intro=INTROS[facet], section=list_endpoint, value_endpoint=value_endpoint,
                           descriptions=descriptions)


def _value_page(facet: str, slug: str, found, label: str, in_registry: bool) -> str:
    if found is None:
        abort(404)
    list_endpoint, value_endpoint, prefix, list_title = LISTS[facet]
    view = search_page(url_for(value_endpoint, slug=slug), {facet: slug})
    narrowed = view.state.text or view.state.filters
    total = run_search(SearchState(), {facet: slug}, per_page=1)[1].total if narrowed else \
        view.response.total
    if not total and not in_registry:
        abort(404)
    return render_template("browse/value.html", facet=facet, item=found, label=vocab(label, facet),
                           label_lang=vocab_lang(label, facet), view=view,
                           section=list_endpoint, list_title=list_title, list_endpoint=list_endpoint,
                           feed_url=f"{prefix}/{slug}.atom", total_all=total)


@bp.get("/themes")
def themes() -> str:
    return _value_list("theme")


@bp.get("/bailleurs")
def landlords() -> str:
    return _value_list("landlord")


@bp.get("/villes")
def cities() -> str:
    return _value_list("city")


@bp.get("/themes/<slug>")
def theme(slug: str) -> str:
    found = browse.find_theme(db_session(), slug) if is_slug(slug) else None
    return _value_page("theme", slug, found, found.label if found else "",
                       bool(found and found.in_registry))


@bp.get("/bailleurs/<slug>")
def landlord(slug: str) -> str:
    found = browse.find_organisation(db_session(), slug) if is_slug(slug) else None
    return _value_page("landlord", slug, found, found.name if found else "",
                       bool(found and found.in_registry))


@bp.get("/villes/<slug>")
def city(slug: str) -> str:
    found = browse.find_city(db_session(), slug) if is_slug(slug) else None
    return _value_page("city", slug, found, found.label if found else "", False)
