"""/pratiques/<slug>: the sanitised body, the side panel, lineage, related practices, 404s."""

from __future__ import annotations

import pytest

from .conftest import set_published
from .helpers import page


def test_practice_page_shows_body_and_side_panel(client):
    response = client.get("/pratiques/alpha-mediation")
    html = page(response)
    assert response.status_code == 200
    assert html.h1() == ["Médiation de soirée (fictive)"]
    assert ("h2", "Contexte") in html.headings
    text = html.text
    for words in ("Une pratique synthétique de test sur la tranquillité.",
                  "Association Exemple (médiation)", "Quartier Test", "locataires", "en cours",
                  "depuis 2021", "émergente", "chargée de mission, Office Test Habitat",
                  "Licence Ouverte 2.0", "2 janvier 2025", "Exemple, 1 mars 2022"):
        assert words in text, words
    assert ("https://example.org/doc", "Document synthétique") in html.links


def test_practice_page_links_its_theme_landlord_and_city_pages(client):
    hrefs = page(client.get("/pratiques/alpha-mediation")).hrefs()
    assert {"/themes/tranquillite-residentielle", "/bailleurs/office-test-habitat",
            "/villes/saint-etienne", "/recherche?audience=locataires"} <= set(hrefs)


def test_lineage_both_ways(client):
    alpha = page(client.get("/pratiques/alpha-mediation"))
    assert "A inspiré" in alpha.text
    assert {"/pratiques/beta-insertion", "/pratiques/gamma-piegee"} <= set(alpha.hrefs())
    beta = page(client.get("/pratiques/beta-insertion"))
    assert "Inspirée de" in beta.text and "/pratiques/alpha-mediation" in beta.hrefs()


def test_related_practices_come_from_the_index(client):
    html = client.get("/pratiques/beta-insertion").get_data(as_text=True)
    related = page(html[html.index('id="related-title"'):])
    assert related.hrefs()[0] == "/pratiques/gamma-piegee"
    assert "/pratiques/beta-insertion" not in related.hrefs()


def test_hostile_body_is_sanitised(client):
    response = client.get("/pratiques/gamma-piegee")
    html = page(response)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.h1() == ["Pratique piégée (synthétique)"]  # the body's own h1 was shifted
    for tag, attrs in html.tags:
        assert tag not in ("iframe", "object", "embed") and not any(a.startswith("on") for a in attrs)
        assert "style" not in attrs
        if tag == "script" and attrs.get("type") != "application/ld+json":  # data, never run
            assert attrs.get("src", "").startswith("/static/")
        if tag == "img":
            assert attrs.get("src", "").startswith("/static/")
    assert not any(h.lower().startswith(("javascript:", "data:", "vbscript:")) for h in html.hrefs())
    assert ("https://example.org/page", "lien normal") in html.links
    assert html.find("a", href="https://example.org/page", rel="nofollow noopener")
    assert "&lt;script&gt;" in body


def test_source_without_url_is_plain_text(client):
    html = page(client.get("/pratiques/gamma-piegee"))
    assert "Source sans adresse" in html.text
    assert not any(text == "Source sans adresse" for _, text in html.links)


@pytest.mark.parametrize("slug", [
    "inconnue", "../etc/passwd", "..%2Fetc%2Fpasswd", "%00", "alpha-mediation%00", "ALPHA-MEDIATION",
    "alpha_mediation", "-alpha", "a" * 200, "alpha-mediation.md", "%2e%2e", "alpha--mediation",
])
def test_unknown_or_crafted_slugs_are_404(client, slug):
    assert client.get(f"/pratiques/{slug}").status_code == 404


def test_unpublished_practice_is_unreachable_everywhere(client, loaded_runtime):
    set_published(loaded_runtime, "alpha-mediation", False)
    assert client.get("/pratiques/alpha-mediation").status_code == 404
    for url in ["/", "/recherche", "/recherche?q=m%C3%A9diation", "/recherche?sort=title",
                "/pratiques/beta-insertion", "/pratiques/gamma-piegee", "/themes/tranquillite-residentielle",
                "/rendez-vous/rencontre-future", "/villes/saint-etienne", "/bailleurs/office-test-habitat"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "alpha-mediation" not in response.get_data(as_text=True), url
        assert "Médiation de soirée" not in response.get_data(as_text=True), url
    set_published(loaded_runtime, "alpha-mediation", True)
    assert client.get("/pratiques/alpha-mediation").status_code == 200
