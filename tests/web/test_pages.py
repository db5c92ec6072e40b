"""Home, about and error pages."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import abort
from lxml import html as lxml_html

from .helpers import page


def test_home_has_a_prominent_search_box(client):
    html = page(client.get("/"))
    assert html.find("form", role="search", action="/recherche")
    assert html.find("input", name="q", type="search")
    assert html.find("label", **{"for": "q-home"})
    assert html.h1() == ["Les pratiques du logement social, partagées"]


def test_home_lists_themes_landlords_and_cities_with_counts(client, loaded_runtime):
    from kb.services.search import search_practices

    with loaded_runtime.session(write=False) as session:
        facets = search_practices(session, loaded_runtime.index, "").facets
    html = page(client.get("/"))
    for facet, prefix in (("theme", "/themes/"), ("landlord", "/bailleurs/"), ("city", "/villes/")):
        for value in facets[facet][:12]:
            assert (prefix + value.value, value.label) in html.links
            assert f"{value.label} {value.count} pratique" in html.text
    assert "Office Test Habitat 9 pratiques" in html.text
    assert {"/themes", "/bailleurs", "/villes"} <= set(html.hrefs())


def test_home_shows_latest_practices_and_total(client):
    html = page(client.get("/"))
    assert "26 pratiques publiées" in html.text
    practice_links = [h for h in html.hrefs() if h.startswith("/pratiques/")]
    assert len(practice_links) == 5


def test_home_lists_upcoming_rendezvous(client):
    html = page(client.get("/"))
    assert ("/rendez-vous/rencontre-future", "Rencontre future (synthétique)") in html.links
    assert "/rendez-vous/rencontre-test" not in html.hrefs()  # in the past


def test_home_without_upcoming_rendezvous_says_so_and_links_past_ones(client, loaded_runtime):
    from sqlalchemy import delete

    from kb.models import Event

    with loaded_runtime.session() as session:
        session.execute(delete(Event).where(Event.slug == "rencontre-future"))
    html = page(client.get("/"))
    assert "Aucun rendez-vous n’est annoncé pour le moment." in html.text
    assert "/rendez-vous#passes" in html.hrefs()
    # the latest past one is shown, marked past, so the home page shows what they are
    tree = lxml_html.fromstring(client.get("/").get_data(as_text=True))
    shown = tree.xpath("//section[@aria-labelledby='events-title']//li[@class='event-list__item']")
    assert [li.xpath("string(.//a/@href)") for li in shown] == ["/rendez-vous/rencontre-test"]
    assert shown[0].xpath("string(.//*[@class='badge badge--past'])") == "passé"
    assert tree.xpath("string(//h2[@id='events-title'])") == "Rendez-vous"


def test_about_page_covers_licence_contribution_data_and_accessibility(client):
    response = client.get("/a-propos")
    html = page(response)
    assert response.status_code == 200
    assert html.h1() == ["À propos de kb"]
    for words in ("Licence Ouverte 2.0", "practices/", "kb forget-contributor",
                  "jamais affichée", "WCAG", "RGAA", "signalez-le"):
        assert words in html.text


def test_footer_links_panorama_api_feed_and_csv(client):
    hrefs = page(client.get("/")).hrefs()
    assert {"/panorama", "/donnees", "/flux.atom"} <= set(hrefs)
    assert any(h.startswith("/recherche.csv") for h in hrefs)


def test_search_csv_link_carries_the_current_search(client):
    hrefs = page(client.get("/recherche?q=jardin&theme=theme-synthetique-1&sort=title")).hrefs()
    assert "/recherche.csv?q=jardin&theme=theme-synthetique-1&sort=title" in hrefs


def test_home_links_the_atom_feed_in_head(client):
    html = page(client.get("/"))
    assert html.find("link", rel="alternate", type="application/atom+xml", href="/flux.atom")


@pytest.mark.parametrize("url", ["/nulle-part", "/pratiques/inconnue", "/themes/inconnu"])
def test_not_found_page_is_french_and_in_the_layout(client, url):
    response = client.get(url)
    html = page(response)
    assert response.status_code == 404
    assert html.h1() == ["Page introuvable"]
    assert html.find("main", id="contenu") and html.find("nav")
    assert response.content_type.startswith("text/html")


def test_method_not_allowed_page_keeps_allow_header(client):
    response = client.post("/recherche")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert page(response).h1() == ["Méthode non autorisée"]


@pytest.fixture
def failing_app(loaded_runtime):
    from kb import create_app

    app = create_app({"TESTING": False, "PROPAGATE_EXCEPTIONS": False}, runtime=loaded_runtime)

    def boom():
        raise RuntimeError("synthetic failure")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/maintenance", "maintenance", lambda: abort(503))
    app.add_url_rule("/too-big", "too_big", lambda: abort(413))
    return app


def test_server_error_page_is_french_and_in_the_layout(failing_app, caplog):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert page(response).h1() == ["Erreur du serveur"]
    assert "synthetic failure" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "code", "title"), [
    ("/maintenance", 503, "Service momentanément indisponible"),
    ("/too-big", 413, "Envoi trop volumineux"),
])
def test_other_error_pages(failing_app, url, code, title):
    response = failing_app.test_client().get(url)
    assert response.status_code == code
    assert page(response).h1() == [title]


def test_every_page_type_has_exactly_one_h1(client):
    for url in ["/", "/recherche", "/recherche?q=zzzzqqq", "/pratiques/gamma-piegee",
                "/themes", "/themes/tranquillite-residentielle", "/bailleurs",
                "/bailleurs/office-test-habitat", "/villes", "/villes/rouen", "/rendez-vous",
                "/rendez-vous/rencontre-test", "/a-propos", "/inconnu"]:
        assert len(page(client.get(url)).h1()) == 1, url


def test_dates_are_in_french(client):
    soon = dt.date.today() + dt.timedelta(days=30)
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]
    assert f"{soon.day} {months[soon.month - 1]} {soon.year}" in page(client.get("/")).text


@pytest.mark.parametrize("lang, headings", [
    ("fr", ["État de conformité", "Contenus non accessibles", "Établissement de cette déclaration",
            "Retour d’information et contact", "Voies de recours"]),
    ("en", ["Compliance status", "Content that is not accessible", "How this statement was made",
            "Feedback and contact", "Remedies"]),
])
def test_the_accessibility_statement_follows_the_rgaa_model(client, lang, headings):
    tree = lxml_html.fromstring(client.get(f"/a-propos?lang={lang}").get_data(as_text=True))
    section = [h.text_content() for h in tree.xpath("//h2[@id='accessibilite']/following-sibling::h3")]
    assert [h for h in headings if h in section] == headings
    text = " ".join(tree.xpath("string(//main)").split())
    assert ("non conforme" if lang == "fr" else "not compliant") in text
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in text
    assert tree.xpath("//a[@href='https://formulaire.defenseurdesdroits.fr/']")
