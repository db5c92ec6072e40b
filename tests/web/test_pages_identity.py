"""The site says who runs it: KB_SITE_NAME, KB_PUBLISHER, KB_CONTACT_EMAIL, KB_LEGAL_NOTICE."""

from __future__ import annotations

import pytest
from lxml import html

from kb.config import SiteIdentity


@pytest.fixture
def configured_client(loaded_runtime, tmp_path):
    from kb import create_app

    notice = tmp_path / "mentions.md"
    notice.write_text("## Hébergeur\n\nHébergeur Fictif SAS, 1 rue de l’Exemple, 75000 Paris.\n\n"
                      "## Directeur de la publication\n\nLa présidente de l’Association Fictive.\n",
                      encoding="utf-8")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SITE_NAME": "Pratiques Fictives",
                      "PUBLISHER": "Association Fictive des Bailleurs",
                      "CONTACT_EMAIL": "contact@exemple.org", "LEGAL_NOTICE": str(notice)},
                     runtime=loaded_runtime)
    return app.test_client()


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(" ".join(html.fromstring(response.get_data(as_text=True)).itertext()).split())


def test_an_unconfigured_instance_says_so_plainly(client):
    legal = text(client.get("/mentions-legales"))
    assert "Cette instance de kb n’est pas encore configurée" in legal
    assert "Éditeur non renseigné" in legal and "Contact non renseigné" in legal
    assert "KB_LEGAL_NOTICE" in legal
    home = html.fromstring(client.get("/").get_data(as_text=True))
    assert home.xpath("string(//*[@class='brand__name'])") == "kb"
    assert "Éditeur non renseigné : cette instance n’est pas encore configurée." in \
        home.xpath("string(//footer)")
    assert "adresse non renseignée" in text(client.get("/a-propos"))


def test_configuration_fills_brand_footer_legal_notice_and_about_contact(configured_client):
    page = html.fromstring(configured_client.get("/").get_data(as_text=True))
    assert page.xpath("string(//*[@class='brand__name'])") == "Pratiques Fictives"
    assert page.xpath("string(//title)").endswith("Pratiques Fictives, pratiques du logement social")
    footer = " ".join(page.xpath("string(//footer)").split())
    assert "Publié par Association Fictive des Bailleurs." in footer
    assert page.xpath("//footer//a[@href='mailto:contact@exemple.org']")
    assert page.xpath("//footer//a[@href='/mentions-legales']/text()") == ["Mentions légales"]
    legal = text(configured_client.get("/mentions-legales"))
    assert "pas encore configurée" not in legal
    assert "Éditeur Association Fictive des Bailleurs" in legal
    assert "Hébergeur Fictif SAS" in legal and "Directeur de la publication" in legal
    about = html.fromstring(configured_client.get("/a-propos").get_data(as_text=True))
    assert about.xpath("//p[@id='contact-donnees']//a/@href") == ["mailto:contact@exemple.org"]
    english = text(configured_client.get("/mentions-legales?lang=en"))
    assert "Legal notice" in english and "Publisher Association Fictive des Bailleurs" in english


def test_a_legal_notice_file_that_cannot_be_read_stops_the_app(loaded_runtime, tmp_path):
    from kb import create_app

    with pytest.raises(ValueError, match="KB_LEGAL_NOTICE"):
        create_app({"TESTING": True, "SECRET_KEY": "t", "LEGAL_NOTICE": str(tmp_path / "absent.md")},
                   runtime=loaded_runtime)


def test_identity_is_read_from_kb_variables(monkeypatch, tmp_path):
    notice = tmp_path / "n.md"
    notice.write_text("Texte", encoding="utf-8")
    monkeypatch.setenv("KB_SITE_NAME", "Réseau Test")
    monkeypatch.setenv("KB_PUBLISHER", "Éditeur Test")
    monkeypatch.setenv("KB_CONTACT_EMAIL", "ecrire@exemple.org")
    monkeypatch.setenv("KB_LEGAL_NOTICE", str(notice))
    from flask import Config

    config = Config(str(tmp_path))
    config.from_prefixed_env("KB")
    site = SiteIdentity.from_mapping(config)
    assert (site.name, site.publisher, site.contact_email, site.legal_notice, site.configured) == \
        ("Réseau Test", "Éditeur Test", "ecrire@exemple.org", "Texte", True)
    with pytest.raises(ValueError, match="KB_CONTACT_EMAIL"):
        SiteIdentity.from_mapping({"CONTACT_EMAIL": "pas une adresse"})


def test_home_says_what_kb_is_and_offers_to_propose_a_practice(client):
    page = html.fromstring(client.get("/").get_data(as_text=True))
    lead = " ".join(page.xpath("string(//*[@class='hero__lead'])").split())
    assert "rassemble ce que font les bailleurs sociaux" in lead
    assert "relue par un modérateur" in lead and "sources publiques" in lead
    assert page.xpath("//main//a[@href='/contribuer']/text()") == ["Proposer une pratique"]


def test_search_hints_are_the_most_frequent_theme_city_and_landlord_and_find_practices(client):
    page = html.fromstring(client.get("/").get_data(as_text=True))
    hints = page.xpath("//*[@class='searchbox__hint']/a")
    facets = client.get("/api/v1/search?limit=1").get_json()["facets"]
    assert [a.get("href").split("/")[1] for a in hints] == ["themes", "villes", "bailleurs"]
    for link, facet in zip(hints, ("theme", "city", "landlord"), strict=True):
        counts = {v["value"]: v["count"] for v in facets[facet]}
        slug = link.get("href").rsplit("/", 1)[1]
        assert counts[slug] == max(counts.values())  # the most frequent value
        results = client.get(f"/api/v1/search?{facet}={slug}&limit=1").get_json()
        assert results["total"] == counts[slug] > 0  # so the example always finds practices


NEW_TEMPLATES = ["templates/partners/index.html", "templates/partners/show.html",
                 "templates/pages/legal.html", "templates/panorama/index.html",
                 "templates/practices/show.html", "templates/base.html", "templates/pages/home.html",
                 "templates/search/_searchbox.html"]


def test_every_message_of_the_new_pages_has_an_english_translation():
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
    from babel.messages.pofile import read_po

    from kb.config import ROOT

    with (ROOT / "kb" / "translations" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        translated = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle)
                      if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    needed = set()
    for name in NEW_TEMPLATES:
        for _line, message, _comments, _context in extract_from_file(
                "jinja2", str(ROOT / name), keywords={**DEFAULT_KEYWORDS, "_l": None}):
            needed.add(message if isinstance(message, str) else message[0])
    assert len(needed) > 80
    assert not needed - translated


@pytest.fixture
def demo_client(loaded_runtime):
    from kb import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DEMO": "1"}, runtime=loaded_runtime)
    return app.test_client()


def test_the_demonstration_instance_says_it_is_one(demo_client):
    for url in ("/", "/recherche?q=m%C3%A9diation", "/mentions-legales"):
        page = html.fromstring(demo_client.get(url).get_data(as_text=True))
        assert page.xpath("string(//*[@class='brand__name'])") == "Pratiques du logement social"
        assert not page.xpath("//*[@class='brand__tagline']")  # the name is not said twice
        banner = " ".join(page.xpath("string(//*[@class='demo-banner'])").split())
        assert banner.startswith("Instance de démonstration.")
        footer = " ".join(page.xpath("string(//footer)").split())
        assert "Instance de démonstration lancée par la première commande de kb" in footer
        assert "pas encore configurée" not in footer
        assert page.xpath("string(//title)").endswith("· Pratiques du logement social")


def test_an_instance_that_is_not_a_demonstration_shows_no_demonstration_banner(client):
    page = html.fromstring(client.get("/").get_data(as_text=True))
    assert not page.xpath("//*[@class='demo-banner']")
    assert "démonstration" not in page.xpath("string(//footer)")


def test_the_demonstration_banner_is_translated(demo_client):
    page = html.fromstring(demo_client.get("/?lang=en").get_data(as_text=True))
    assert " ".join(page.xpath("string(//*[@class='demo-banner'])").split()).startswith(
        "Demonstration instance.")


def test_search_examples_follow_the_page_language_where_the_registry_translates_them(client):
    # the fixture registry's most frequent theme has no English label: shown French, marked so
    english = html.fromstring(client.get("/?lang=en").get_data(as_text=True))
    theme = english.xpath("//*[@class='searchbox__hint']/a")[0]
    assert (theme.text, theme.get("lang")) == ("Thème synthétique 1", "fr")


def test_a_translated_search_example_is_in_english_and_not_marked_french(client, monkeypatch):
    from kb.web import pages

    monkeypatch.setattr(pages, "vocab", lambda value, kind: "Residential peace" if kind == "theme" else value)
    english = html.fromstring(client.get("/?lang=en").get_data(as_text=True))
    theme = english.xpath("//*[@class='searchbox__hint']/a")[0]
    assert (theme.text, theme.get("lang")) == ("Residential peace", None)
