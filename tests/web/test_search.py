"""/recherche: facets (OR within, AND across), sort, pagination, suggestion, empty state."""

from __future__ import annotations

import re
from html import unescape

import pytest

from .helpers import page


def result_slugs(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<h3 class="result__title"[^>]*><a href="/pratiques/([a-z0-9-]+)"', html)


def test_empty_search_lists_every_published_practice(client):
    response = client.get("/recherche")
    assert response.status_code == 200
    assert "26 pratiques" in page(response).text
    assert len(result_slugs(response)) == 10


def test_one_filter(client):
    slugs = result_slugs(client.get("/recherche?theme=theme-synthetique-1"))
    assert sorted(slugs) == ["synthetique-01", "synthetique-11", "synthetique-21"]


def test_values_of_one_facet_are_ored(client):
    slugs = result_slugs(client.get("/recherche?theme=theme-synthetique-1&theme=theme-synthetique-2"))
    assert sorted(slugs) == ["synthetique-01", "synthetique-02", "synthetique-11", "synthetique-12",
                             "synthetique-21", "synthetique-22"]


def test_facets_are_anded(client):
    url = "/recherche?theme=theme-synthetique-1&theme=theme-synthetique-2&city=rouen"
    assert result_slugs(client.get(url)) == ["synthetique-12"]


def test_filters_and_text_combine(client):
    slugs = result_slugs(client.get("/recherche?q=tranquillit%C3%A9&landlord=office-test-habitat"))
    assert sorted(slugs) == ["alpha-mediation", "beta-insertion"]


def test_filter_written_as_label_or_alias_is_understood(client):
    by_alias = result_slugs(client.get("/recherche?landlord=OTH&city=Saint-%C3%89tienne"))
    by_slug = result_slugs(client.get("/recherche?landlord=office-test-habitat&city=saint-etienne"))
    assert by_alias == by_slug and by_alias


def test_facet_links_add_and_remove_a_filter(client):
    html = page(client.get("/recherche?q=jardin"))
    assert "/recherche?q=jardin&theme=theme-synthetique-1" in html.hrefs()
    html = page(client.get("/recherche?q=jardin&theme=theme-synthetique-1"))
    assert "/recherche?q=jardin&theme=theme-synthetique-1&theme=theme-synthetique-2" in html.hrefs()
    selected = html.find("a", **{"class": "facet__value is-selected"})
    assert [a["href"] for a in selected] == ["/recherche?q=jardin"]


def test_facet_shows_counts(client):
    html = page(client.get("/recherche"))
    assert "Office Test Habitat 9 pratiques" in html.text


def _facet(html: str, name: str, next_name: str) -> str:
    return html[html.index(f'id="facet-{name}"'):html.index(f'id="facet-{next_name}"')]


def _value_links(section: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<a class="facet__value[^"]*" href="([^"]+)"', section)]


def test_long_facets_render_their_top_values_and_a_voir_plus_link(client):
    html = client.get("/recherche?sort=title").get_data(as_text=True)
    themes = _facet(html, "theme", "landlord")
    assert len(_value_links(themes)) == 8  # of 12 themes
    more = re.findall(r'<a class="facet__more" href="([^"]+)"[^>]*>Voir plus', themes)
    assert [unescape(u) for u in more] == ["/recherche?sort=title&more=theme#facet-theme"]
    assert "(4)" in themes  # values left out
    assert '<details class="facet__more">' not in html


def test_voir_plus_is_a_plain_url_listing_that_facet_whole(client):
    cut = _value_links(_facet(client.get("/recherche?q=jardin").get_data(as_text=True),
                              "theme", "landlord"))
    html = client.get("/recherche?q=jardin&more=theme").get_data(as_text=True)
    themes = _facet(html, "theme", "landlord")
    whole = _value_links(themes)
    assert len(whole) > len(cut) and whole[:len(cut)] == [f"{u}&more=theme" for u in cut]
    less = re.findall(r'<a class="facet__more" href="([^"]+)"[^>]*>Voir moins', themes)
    assert [unescape(u) for u in less] == ["/recherche?q=jardin#facet-theme"]
    # Choosing a value from the whole list filters and keeps the list open.
    chosen = whole[-1]
    assert chosen not in cut
    filtered = client.get(chosen)
    assert filtered.status_code == 200
    themes = _facet(filtered.get_data(as_text=True), "theme", "landlord")
    assert 'is-selected' in themes and len(_value_links(themes)) == len(whole)


def test_an_unknown_facet_to_list_whole_is_ignored(client):
    response = client.get("/recherche?more=%3Cscript%3E")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(_value_links(_facet(html, "theme", "landlord"))) == 8
    assert not [u for u in _value_links(_facet(html, "theme", "landlord")) if "more=" in u]


def test_active_filters_are_removable_chips(client):
    html = client.get("/recherche?q=jardin&theme=theme-synthetique-1&city=rouen").get_data(as_text=True)
    chips = re.findall(r'<a class="chip" href="([^"]+)"', html)
    assert chips == ["/recherche?q=jardin&amp;city=rouen",
                     "/recherche?q=jardin&amp;theme=theme-synthetique-1"]
    assert "Retirer tous les filtres" in html


def test_selected_value_without_results_still_shows_its_label(client):
    html = page(client.get("/recherche?q=zzzqqq&theme=insertion-et-emploi"))
    assert "Insertion et emploi" in html.text


def test_sort_by_title(client):
    slugs = result_slugs(client.get("/recherche?sort=title"))
    assert slugs[:3] == ["beta-insertion", "alpha-mediation", "gamma-piegee"]


def test_sort_links_mark_the_current_one(client):
    html = client.get("/recherche?q=jardin&sort=recent").get_data(as_text=True)
    assert '<span class="sort__current" aria-current="true">plus récentes</span>' in html
    assert 'href="/recherche?q=jardin&amp;sort=title"' in html
    assert 'href="/recherche?q=jardin"' in html  # relevance is the default


def test_pagination(client):
    first, third = client.get("/recherche?sort=title"), client.get("/recherche?sort=title&page=3")
    assert len(result_slugs(first)) == 10 and len(result_slugs(third)) == 6
    assert not set(result_slugs(first)) & set(result_slugs(third))
    html = page(third)
    assert "/recherche?sort=title&page=2" in html.hrefs()
    assert html.find("ol", **{"class": "results", "start": "21"})
    assert html.find("a", **{"aria-current": "page", "href": "/recherche?sort=title&page=3"})


@pytest.mark.parametrize(("raw", "shown"), [("99", 3), ("-4", 1), ("abc", 1), ("0", 1), ("2.5", 1),
                                            ("99999999999999999999", 3)])
def test_bad_page_numbers_are_clamped(client, raw, shown):
    response = client.get(f"/recherche?page={raw}")
    assert response.status_code == 200
    assert len(result_slugs(response)) == (6 if shown == 3 else 10)


def test_suggestion_links_the_corrected_search(client):
    # "jardinsge" finds nothing as typed: the page shows results for the near
    # spelling and says which one ("did you mean" is not shown over good results).
    html = page(client.get("/recherche?q=jardinsge&theme=theme-synthetique-1"))
    assert ("/recherche?q=jardinage&theme=theme-synthetique-1", "jardinage") in html.links
    assert "Vouliez-vous dire" in html.text


def test_snippets_are_highlighted(client):
    html = client.get("/recherche?q=jardinage").get_data(as_text=True)
    assert re.search(r'<p class="result__snippet"[^>]*>[^<]*<mark>jardinage</mark>', html)


def test_snippet_is_the_only_unescaped_text(client):
    html = client.get("/recherche?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_empty_state_helps(client):
    html = page(client.get("/recherche?q=zzzqqq&theme=insertion-et-emploi&city=rouen"))
    assert "Aucune pratique" in html.text
    assert "/recherche?q=zzzqqq&city=rouen" in html.hrefs()   # drop the theme
    assert "/recherche?q=zzzqqq&theme=insertion-et-emploi" in html.hrefs()  # drop the city
    assert "/recherche?theme=insertion-et-emploi&city=rouen" in html.hrefs()  # drop the text
    assert "/themes" in html.hrefs()


def test_search_message_is_shown(client):
    html = page(client.get("/recherche?q=le+la+les"))
    assert "Aucun mot utilisable dans la recherche" in html.text


def test_search_form_keeps_filters_and_sort(client):
    html = page(client.get("/recherche?q=jardin&theme=theme-synthetique-1&sort=title&page=1"))
    hidden = {(i["name"], i["value"]) for i in html.find("input", type="hidden")}
    assert hidden == {("theme", "theme-synthetique-1"), ("sort", "title")}


@pytest.mark.parametrize("query", [
    "q=%00", "q=" + "a" * 5000, "q=NOT+AND+x", "q=*", "q=a*", "q=title:x", "q=%22unclosed",
    "q=(((", "theme=%00", "theme=../../etc/passwd", "year=abc", "year=99999999999",
    "sort=%27;DROP+TABLE", "page=%00", "status=' OR 1=1 --", "q=%F0%9F%8F%A0",
    "theme=" + "&theme=".join(str(n) for n in range(200)), "lang=xx", "q=%ED%A0%80",
])
def test_bad_params_never_fail(client, query):
    response = client.get(f"/recherche?{query}")
    assert response.status_code == 200
    assert len(page(response).h1()) == 1
