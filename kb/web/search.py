"""``/recherche``: full-text search with facets, sort and pagination.

Every state of the page is a plain GET URL. ``SearchState`` reads one from the
query string (forgiving: bad values are dropped or clamped, never a 500) and
writes the URLs of its neighbours (one filter more or less, another sort or
page). ``search_page`` is shared with the theme, landlord and city pages, which
are the same search with one filter fixed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import quote_plus, urlencode

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from kb.search import FACETS, SORTS, SearchResponse
from kb.services import browse
from kb.services.search import hit_cards, resolve_filter, search_practices
from kb.web import db_session, runtime
from kb.web.labels import translate_facet_labels
from kb.web.search_log import log_search

bp = Blueprint("search", __name__)

PER_PAGE = 10
# Values shown per facet; "Voir plus" links to the same page with that facet
# whole. Rendering every value (150+ links at 10,000 practices) halved the
# page's throughput.
VISIBLE_VALUES = 8
MAX_VALUES = 20  # per facet, from the URL
MAX_TEXT = 300
FACET_TITLES = {
    "theme": _l("Thèmes"),
    "landlord": _l("Bailleurs"),
    "partner": _l("Partenaires"),
    "city": _l("Villes"),
    "audience": _l("Publics"),
    "status": _l("Statut"),
    "evidence": _l("Niveau de preuve"),
    "year": _l("Année de démarrage"),
}
# The search layer's friendly messages (French), listed here so the catalogue translates them.
SEARCH_MESSAGES = (
    _l("Aucun mot utilisable dans la recherche : essayez des mots plus précis."),
    _l("La recherche était trop longue : seuls les premiers mots ont été utilisés."),
    _l("La recherche est momentanément indisponible. Réessayez dans un instant."),
)
SORT_LABELS = {"relevance": _l("pertinence"), "recent": _l("plus récentes"), "title": _l("titre")}


@dataclass(frozen=True)
class SearchState:
    """What the query string asks for: text, filters (slugs), sort and page."""

    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    more: str | None = None  # the facet listed whole ("Voir plus")

    @classmethod
    def from_args(cls, args: MultiDict) -> SearchState:
        text = " ".join(args.get("q", "").split())[:MAX_TEXT]
        filters = {}
        for facet in FACETS:
            values = [v for v in args.getlist(facet) if v.strip()][:MAX_VALUES]
            slugs = tuple(dict.fromkeys(resolve_filter(db_session(), facet, v) for v in values))
            if slugs := tuple(s for s in slugs if s):
                filters[facet] = slugs
        sort = args.get("sort", "relevance")
        try:
            page = int(args.get("page", "1"))
        except ValueError:
            page = 1
        more = args.get("more")
        return cls(text, filters, sort if sort in SORTS else "relevance", max(1, min(page, 10_000)),
                   more if more in FACETS else None)

    def params(self) -> list[tuple[str, str]]:
        pairs = [("q", self.text)] if self.text else []
        pairs += [(facet, v) for facet in FACETS for v in self.filters.get(facet, ())]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.page > 1:
            pairs.append(("page", str(self.page)))
        if self.more:
            pairs.append(("more", self.more))
        return pairs

    def toggled(self, facet: str, value: str) -> SearchState:
        values = self.filters.get(facet, ())
        values = tuple(v for v in values if v != value) if value in values else (*values, value)
        filters = {f: v for f, v in {**self.filters, facet: values}.items() if v}
        return replace(self, filters=filters, page=1)

    def without(self, facet: str) -> SearchState:
        return replace(self, filters={f: v for f, v in self.filters.items() if f != facet}, page=1)


@dataclass
class SearchView:
    """Everything the result partials need, URLs included."""

    state: SearchState
    response: SearchResponse
    base_url: str
    fixed: Mapping[str, str]
    pages: int
    facets: list[dict]
    chips: list[dict]
    cards: dict

    def url(self, state: SearchState) -> str:
        params = state.params()
        return f"{self.base_url}?{urlencode(params)}" if params else self.base_url

    def page_url(self, page: int) -> str:
        return self.url(replace(self.state, page=page))

    def sort_url(self, sort: str) -> str:
        return self.url(replace(self.state, sort=sort, page=1))

    def text_url(self, text: str) -> str:
        return self.url(replace(self.state, text=text, page=1))

    @property
    def clear_url(self) -> str:
        return self.url(SearchState(text=self.state.text, sort=self.state.sort))

    @property
    def csv_url(self) -> str:
        state = replace(self.state, page=1)
        return f"/recherche.csv?{urlencode([*self.fixed.items(), *state.params()])}"

    @property
    def hidden(self) -> list[tuple[str, str]]:
        """Filters and sort, kept by the search form when the text changes."""
        kept = [(k, v) for k, v in self.state.params() if k not in ("q", "page", "more")]
        return [*self.fixed.items(), *kept]

    @property
    def sorts(self) -> list[dict]:
        return [{"value": s, "label": SORT_LABELS[s], "url": self.sort_url(s),
                 "current": s == self.state.sort} for s in SORTS]

    @property
    def page_numbers(self) -> list[int | None]:
        """Pages to link: first, last and the current one's neighbours; None marks a gap."""
        wanted = {1, self.pages, *range(self.state.page - 2, self.state.page + 3)}
        shown: list[int | None] = []
        for n in sorted(p for p in wanted if 1 <= p <= self.pages):
            if shown and n - (shown[-1] or 0) > 1:
                shown.append(None)
            shown.append(n)
        return shown


def _adding_url(state: SearchState, facet: str, url):
    """A fast ``url(state.toggled(facet, value))`` for values not yet selected.

    Pages list every facet value with its own link: encoding the unchanged
    parameters once per facet rather than once per value keeps them cheap.
    """
    base = url(replace(state, page=1))
    before, _, after = [], None, []
    for key, value in replace(state, page=1).params():
        later = key in ("sort", "more") or key in FACETS and FACETS.index(key) > FACETS.index(facet)
        target = after if later else before
        target.append((key, value))
    head = urlencode(before)
    tail = urlencode(after)
    path = base.split("?", 1)[0]

    def adding(value: str) -> str:
        middle = f"{quote_plus(facet)}={quote_plus(value)}"
        return f"{path}?{'&'.join(part for part in (head, middle, tail) if part)}"

    return adding


def _facet_records(view_state: SearchState, response: SearchResponse, labels: dict,
                   url, fixed: Mapping[str, str],
                   translated_labels: Mapping[str, set[str]]) -> list[dict]:
    """One record per facet: the values shown (selected first), and the "Voir plus/moins" links."""
    records = []
    for name in FACETS:
        if name in fixed:
            continue
        selected = view_state.filters.get(name, ())
        counts = {f.value: f for f in response.facets.get(name, [])}
        shown_labels = labels[name]
        values = [{"value": s, "label": shown_labels.get(s, s), "selected": True,
                   "count": counts[s].count if s in counts else 0} for s in selected]
        values += [{"value": f.value, "label": shown_labels.get(f.value, f.label),
                    "count": f.count, "selected": False}
                   for f in response.facets.get(name, []) if f.value not in selected]
        translated = translated_labels.get(name, set())
        for value in values:
            value["translated"] = value["value"] in translated
        if not values:
            continue
        if name == "year":  # years read best in order, the latest first
            chosen = len(selected)
            values[chosen:] = sorted(values[chosen:], key=lambda v: v["value"], reverse=True)
        whole = view_state.more == name
        shown = values if whole else values[:max(VISIBLE_VALUES, len(selected))]
        adding = _adding_url(view_state, name, url)
        for value in shown:
            value["toggle_url"] = (url(view_state.toggled(name, value["value"])) if value["selected"]
                                   else adding(value["value"]))
        hidden = len(values) - len(shown)
        records.append({
            "name": name, "title": FACET_TITLES[name], "values": shown, "hidden": hidden,
            "more_url": f"{url(replace(view_state, more=name))}#facet-{name}" if hidden else None,
            "less_url": (f"{url(replace(view_state, more=None))}#facet-{name}"
                         if whole and len(values) > VISIBLE_VALUES else None),
        })
    return records


def _labels(response: SearchResponse, state: SearchState) -> dict[str, dict[str, str]]:
    """Labels of every selected value, asking the database only for those not in the facets."""
    labels: dict[str, dict[str, str]] = {}
    for name in FACETS:
        known = {f.value: f.label for f in response.facets.get(name, [])}
        missing = [s for s in state.filters.get(name, ()) if s not in known]
        known.update(browse.facet_labels(db_session(), name, missing) if missing else {})
        labels[name] = known
    return labels


def run_search(state: SearchState, fixed: Mapping[str, str] | None = None,
               per_page: int = PER_PAGE) -> tuple[SearchState, SearchResponse]:
    """Search ``state`` plus the ``fixed`` filters; a page past the end becomes the last."""
    fixed = dict(fixed or {})
    filters = {**state.filters, **{facet: (slug,) for facet, slug in fixed.items()}}

    def ask(page: int) -> SearchResponse:
        return search_practices(db_session(), runtime().index, state.text, filters,
                                limit=per_page, offset=(page - 1) * per_page, sort=state.sort)

    response = ask(state.page)
    last = max(1, math.ceil(response.total / per_page))
    if state.page > last:
        state = replace(state, page=last)
        response = ask(last)
    return state, response


def search_page(base_url: str, fixed: Mapping[str, str] | None = None) -> SearchView:
    """The search of the request's query string, ready for the result partials."""
    fixed = dict(fixed or {})
    state = SearchState.from_args(request.args)
    state = replace(state, filters={f: v for f, v in state.filters.items() if f not in fixed})
    state, response = run_search(state, fixed)
    labels = _labels(response, state)
    translated = translate_facet_labels(labels)
    view = SearchView(state, response, base_url, fixed,
                      max(1, math.ceil(response.total / PER_PAGE)), [], [], {})
    view.facets = _facet_records(state, response, labels, view.url, fixed, translated)
    view.chips = [
        {"facet": FACET_TITLES[name], "label": labels[name].get(slug, slug),
         "translated": slug in translated.get(name, ()),
         "remove_url": view.url(state.toggled(name, slug)),
         "drop_url": view.url(state.without(name))}
        for name in FACETS for slug in state.filters.get(name, ())
    ]
    view.cards = hit_cards(response.hits)
    return view


@bp.get("/recherche")
def results() -> str:
    view = search_page(url_for("search.results"))
    if view.state.page == 1:
        log_search(view.state.text, view.state.filters, view.response.total)
    return render_template("search/results.html", view=view)
