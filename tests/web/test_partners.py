"""Partners as first-class entries: list by kind, pages with roles, facet, feed, CSV, sitemap.

The corpus is the web tests' synthetic one plus, written here, an invented
practice with three partners and two invented registry entries.
"""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

import pytest
from lxml import html

from .conftest import build_corpus

EXTRA_PRACTICE = """---
title: Pratique à plusieurs partenaires (synthétique)
summary: Une pratique inventée pour tester les partenaires.
themes:
  - Tranquillité résidentielle
landlords:
  - Office Test Habitat
partners:
  - name: AE
    role: club de prévention
  - name: Ville Fictive de Test
  - name: Bailleur Fictif Sud
    role: bailleur voisin
cities:
  - Rouen
---

Texte synthétique.
"""
EXTRA_REGISTRY = """
- name: Ville Fictive de Test
  kind: collectivité
- name: Préfecture Fictive
  kind: État
  aliases: [PF]
"""


@pytest.fixture
def corpus_dir(tmp_path):
    target = build_corpus(tmp_path / "corpus")
    (target / "delta-partenaires.md").write_text(EXTRA_PRACTICE, encoding="utf-8")
    with (target / "_organisations.yaml").open("a", encoding="utf-8") as registry:
        registry.write(EXTRA_REGISTRY)
    return target


def doc(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.get_data(as_text=True))


def words(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def test_partners_page_lists_every_non_landlord_organisation_by_kind_with_counts(client):
    page = doc(client, "/partenaires")
    groups = {words(section.xpath("h2")[0]): [words(li) for li in section.xpath(".//li")]
              for section in page.xpath("//section[@class='partner-group']")}
    assert groups == {
        "Associations 1 organisation": ["Association Exemple 2 pratiques"],
        "Collectivités 1 organisation": ["Ville Fictive de Test 1 pratique"],
        "Services de l’État 1 organisation": ["Préfecture Fictive 0 pratiques"],
        # 8 practices as landlord, 1 as partner
        "Autres organisations 1 organisation": ["Bailleur Fictif Sud 9 pratiques"],
    }
    assert "Office Test Habitat" not in words(page.xpath("//main")[0])  # a landlord only


def test_a_partner_page_lists_its_practices_with_its_role_in_each(client):
    page = doc(client, "/partenaires/association-exemple")
    rows = [(words(tr.xpath("th")[0]), words(tr.xpath("td")[0]))
            for tr in page.xpath("//table[@class='partner-roles']/tbody/tr")]
    assert rows == [("Médiation de soirée (fictive)", "médiation"),
                    ("Pratique à plusieurs partenaires (synthétique)", "club de prévention")]
    assert "Aussi appelé : AE" in words(page.xpath("//header[@class='value-header']")[0])
    city = doc(client, "/partenaires/ville-fictive-de-test")
    assert words(city.xpath("//tbody/tr/td")[0]) == "partenaire (rôle non renseigné)"
    assert doc(client, "/partenaires/prefecture-fictive").xpath("//h1/text()") == ["Préfecture Fictive"]
    assert client.get("/partenaires/office-test-habitat").status_code == 404  # landlord, not partner
    assert client.get("/partenaires/inconnu").status_code == 404
    assert client.get("/partenaires/..%2Fx").status_code == 404


def test_the_sheet_links_each_partner_to_its_page(client):
    page = doc(client, "/pratiques/delta-partenaires")
    assert page.xpath('//*[@data-fact="partners"]//a/@href') == [
        "/partenaires/association-exemple", "/partenaires/ville-fictive-de-test",
        "/partenaires/bailleur-fictif-sud"]


def test_partner_facet_in_the_search_page_with_registry_aliases(client):
    page = doc(client, "/recherche?partner=AE")
    assert words(page.xpath("//*[contains(@class, 'results-count')]")[0]).startswith("2 pratiques")
    facet_titles = [words(h) for h in page.xpath("//*[contains(@class, 'facet')]//h2 | "
                                                   "//*[contains(@class, 'facet')]//h3 | "
                                                   "//*[contains(@class, 'facet')]//legend")]
    assert any(title.startswith("Partenaires") for title in facet_titles), facet_titles
    everything = doc(client, "/recherche")
    assert everything.xpath("//a[contains(@href, 'partner=ville-fictive-de-test')]")


def test_partner_filter_in_the_api_search_and_practice_list(client):
    found = client.get("/api/v1/search?partner=AE").get_json()
    assert found["total"] == 2
    assert {r["slug"] for r in found["results"]} == {"alpha-mediation", "delta-partenaires"}
    assert {"value": "association-exemple", "label": "Association Exemple", "count": 2} in \
        client.get("/api/v1/search").get_json()["facets"]["partner"]
    listed = client.get("/api/v1/practices?partner=ville-fictive-de-test").get_json()
    assert [item["slug"] for item in listed["items"]] == ["delta-partenaires"]
    spec = client.get("/api/v1/openapi.json").get_json()
    params = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert "partner" in params


def test_kb_search_partner_option(runner, loaded_runtime):
    result = runner("search", "--partner", "AE", "--json")
    answer = json.loads(result.output)
    assert answer["total"] == 2
    assert [v["value"] for v in answer["facets"]["partner"]][:1] == ["association-exemple"]
    assert json.loads(runner("search", "--partner", "PF", "--json").output)["total"] == 0


def test_partner_atom_feed(client):
    response = client.get("/partenaires/association-exemple.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.findtext("a:title", namespaces=ns) == "kb · partenaire : Association Exemple"
    assert sorted(e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)) == [
        "Médiation de soirée (fictive)", "Pratique à plusieurs partenaires (synthétique)"]
    assert client.get("/partenaires/inconnu.atom").status_code == 404
    page = doc(client, "/partenaires/association-exemple")
    assert page.xpath("//link[@rel='alternate']/@href") == ["/partenaires/association-exemple.atom"]


def test_partner_csv_and_sitemap(client):
    response = client.get("/recherche.csv?partner=association-exemple")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(r["slug"] for r in rows) == ["alpha-mediation", "delta-partenaires"]
    assert all("Association Exemple" in r["partenaires"] for r in rows)
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    for path in ("/partenaires<", "/partenaires/association-exemple<",
                 "/partenaires/ville-fictive-de-test<", "/mentions-legales<"):
        assert path in sitemap
