"""/themes, /bailleurs, /villes and their value pages."""

from __future__ import annotations

import pytest

from .conftest import set_published
from .helpers import page


@pytest.mark.parametrize(("url", "link", "label", "count"), [
    ("/themes", "/themes/tranquillite-residentielle", "Tranquillité résidentielle", 2),
    ("/themes", "/themes/theme-synthetique-1", "Thème synthétique 1", 3),
    ("/bailleurs", "/bailleurs/office-test-habitat", "Office Test Habitat", 9),
    ("/villes", "/villes/rouen", "Rouen", 7),
])
def test_lists_show_every_value_with_its_count(client, url, link, label, count):
    html = page(client.get(url))
    assert (link, label) in html.links
    assert f"{label} {count} pratique" in html.text


def test_theme_list_counts_every_theme(client):
    html = page(client.get("/themes"))
    assert len([h for h in html.hrefs() if h.startswith("/themes/")]) == 12


def test_theme_list_shows_registry_descriptions(client):
    assert "Thème synthétique de test." in page(client.get("/themes")).text


def test_theme_page(client):
    response = client.get("/themes/tranquillite-residentielle")
    html = page(response)
    assert html.h1() == ["Tranquillité résidentielle"]
    assert "Thème synthétique de test." in html.text
    assert {"/pratiques/alpha-mediation", "/pratiques/beta-insertion"} <= set(html.hrefs())
    assert html.find("link", rel="alternate", type="application/atom+xml",
                     href="/themes/tranquillite-residentielle.atom")


def test_value_page_has_the_search_facets_except_its_own(client):
    html = client.get("/themes/theme-synthetique-1").get_data(as_text=True)
    assert 'id="facet-city"' in html and 'id="facet-theme"' not in html
    assert 'href="/themes/theme-synthetique-1?city=rouen"' not in html  # no Rouen practice there
    assert 'href="/themes/theme-synthetique-1?city=ville-fictive"' in html


def test_value_page_filters_and_paginates_in_place(client):
    response = client.get("/themes/theme-synthetique-1?city=ville-fictive")
    html = page(response)
    slugs = {h for h in html.hrefs() if h.startswith("/pratiques/")}
    assert slugs == {"/pratiques/synthetique-01", "/pratiques/synthetique-21"}
    assert "/themes/theme-synthetique-1" in html.hrefs()  # the chip removes the city


def test_landlord_page_shows_kind_and_website(client, loaded_runtime):
    from sqlalchemy import select

    from kb.models import Organisation

    with loaded_runtime.session() as session:
        org = session.scalars(select(Organisation).where(Organisation.slug == "office-test-habitat")).one()
        org.website = "https://example.org/oth"
    html = page(client.get("/bailleurs/office-test-habitat"))
    assert html.h1() == ["Office Test Habitat"]
    assert "Bailleur social" in html.text
    assert ("https://example.org/oth", "Site web de Office Test Habitat") in html.links
    assert html.find("link", href="/bailleurs/office-test-habitat.atom")


def test_landlord_website_with_bad_scheme_is_not_linked(client, loaded_runtime):
    from sqlalchemy import select

    from kb.models import Organisation

    with loaded_runtime.session() as session:
        org = session.scalars(select(Organisation).where(Organisation.slug == "office-test-habitat")).one()
        org.website = "javascript:alert(1)"
    assert "javascript:" not in client.get("/bailleurs/office-test-habitat").get_data(as_text=True)


def test_city_page(client):
    html = page(client.get("/villes/saint-etienne"))
    assert html.h1() == ["Saint-Étienne"]
    assert html.find("link", href="/villes/saint-etienne.atom")
    assert "/pratiques/alpha-mediation" in html.hrefs()


@pytest.mark.parametrize("url", [
    "/themes/inconnu", "/bailleurs/inconnu", "/villes/inconnue", "/themes/..%2F..%2Fetc",
    "/villes/%00", "/bailleurs/OFFICE-TEST-HABITAT", "/villes/quartier-test",  # a district, not a city
])
def test_unknown_values_are_404(client, url):
    assert client.get(url).status_code == 404


def test_value_only_used_by_unpublished_practices_is_404(client, loaded_runtime):
    assert client.get("/villes/ville-fictive").status_code == 200
    for n in (1, 5, 9, 13, 17, 21):  # every practice in Ville Fictive
        set_published(loaded_runtime, f"synthetique-{n:02d}", False)
    assert client.get("/villes/ville-fictive").status_code == 404
    assert "/villes/ville-fictive" not in page(client.get("/villes")).hrefs()


def test_registry_theme_without_published_practice_still_has_a_page(client, loaded_runtime):
    for slug in ("alpha-mediation", "beta-insertion"):
        set_published(loaded_runtime, slug, False)
    response = client.get("/themes/tranquillite-residentielle")
    assert response.status_code == 200
    assert "Aucune pratique" in page(response).text
