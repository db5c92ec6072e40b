"""JSON-LD on the practice, rendez-vous and glossary pages, checked against schema.org's own
definitions (tests/fixtures/schemaorg: every class with its superclasses, every property with
the classes it applies to)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb.services.reuse.jsonld import script_text

VOCABULARY = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "schemaorg"
                         / "vocabulary.json").read_text(encoding="utf-8"))
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

HOSTILE_PRACTICE = """---
title: Pratique au titre piégé </script><script>alert(1)</script> (synthétique)
summary: "Résumé synthétique qui ferme le bloc </script><!-- et & continue."
themes:
  - Insertion et emploi
landlords:
  - Office Test Habitat
partners:
  - name: Association Exemple
    role: animation
cities:
  - Rouen
districts:
  - Quartier Fictif
started: 2020
ended: 2022-06
sources:
  - title: Rapport synthétique
    url: https://example.org/rapport
    date: 2021
    publisher: Exemple
---

Corps synthétique.
"""
GLOSSARY = """- acronym: TSX
  expansion: terme synthétique d’exemple
  definition: Définition inventée qui tente de fermer le bloc </script> & d’ouvrir <!-- un commentaire.
- acronym: ZZQ
  expansion: autre terme synthétique
"""


def ancestors(name: str) -> set[str]:
    found, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo += VOCABULARY["classes"][current]
    return found


def check_node(node, path: str = "$") -> int:
    """Every typed node: its type is a schema.org class, each property exists and applies to it."""
    checked = 0
    if isinstance(node, list):
        return sum(check_node(item, f"{path}[{n}]") for n, item in enumerate(node))
    if not isinstance(node, dict):
        return 0
    if "@type" in node:
        kind = node["@type"]
        assert kind in VOCABULARY["classes"], (path, kind)
        lineage = ancestors(kind)
        for key in node:
            if key.startswith("@"):
                continue
            assert key in VOCABULARY["properties"], (path, key)
            assert lineage & set(VOCABULARY["properties"][key]), (path, kind, key)
            checked += 1
    return checked + sum(check_node(value, f"{path}.{key}") for key, value in node.items())


def blocks(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [json.loads(text) for text in BLOCK.findall(response.get_data(as_text=True))]


@pytest.fixture
def corpus_dir(corpus_dir: Path) -> Path:
    (corpus_dir / "piege-jsonld.md").write_text(HOSTILE_PRACTICE, encoding="utf-8")
    (corpus_dir / "_glossaire.yaml").write_text(GLOSSARY, encoding="utf-8")
    return corpus_dir


def test_the_checker_refuses_what_schema_org_does_not_define():
    with pytest.raises(AssertionError):
        check_node({"@type": "Project", "license": "x"})  # a CreativeWork property
    with pytest.raises(AssertionError):
        check_node({"@type": "Event", "fundr": "x"})
    with pytest.raises(AssertionError):
        check_node({"@type": "Projet"})
    assert check_node({"@type": "Project", "funder": {"@type": "Organization", "name": "x"}}) == 2


def test_practice_page_describes_the_project(client, loaded_runtime):
    from kb import storage

    (record,) = blocks(client, "/pratiques/piege-jsonld")
    assert check_node(record) >= 15
    assert record["@context"] == "https://schema.org"
    assert record["@type"] == "WebPage"
    assert record["url"] == "http://localhost/pratiques/piege-jsonld"
    assert record["license"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    with loaded_runtime.session(write=False) as session:
        practice = storage.find_practices(session, slugs=["piege-jsonld"])[0]
        updated = practice.updated_at.replace(microsecond=0).isoformat()
    assert record["dateModified"] == updated + "+00:00"
    assert record["isBasedOn"] == [{"@type": "CreativeWork", "name": "Rapport synthétique",
                                    "url": "https://example.org/rapport", "datePublished": "2021",
                                    "publisher": {"@type": "Organization", "name": "Exemple"}}]
    project = record["mainEntity"]
    assert project["@type"] == "Project"
    assert project["name"].startswith("Pratique au titre piégé </script>")
    assert project["description"].endswith("& continue.")
    assert project["areaServed"] == [{"@type": "City", "name": "Rouen"},
                                     {"@type": "Place", "name": "Quartier Fictif"}]
    assert [o["name"] for o in project["sponsor"]] == ["Office Test Habitat"]
    assert [o["name"] for o in project["member"]] == ["Association Exemple"]
    assert project["foundingDate"] == "2020" and project["dissolutionDate"] == "2022-06"


def test_block_cannot_be_closed_by_the_content(client):
    html = client.get("/pratiques/piege-jsonld").get_data(as_text=True)
    (raw,) = BLOCK.findall(html)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert "alert(1)" in raw  # still there, as data
    text = script_text({"a": "</script><!-- & -->"})
    assert json.loads(text) == {"a": "</script><!-- & -->"} and "<" not in text


@pytest.mark.parametrize("url", ["/pratiques/alpha-mediation", "/pratiques/beta-insertion",
                                 "/rendez-vous/rencontre-test", "/glossaire"])
def test_one_valid_block_per_page(client, url):
    (record,) = blocks(client, url)
    assert check_node(record) >= 5


def test_event_and_glossary(client):
    (event,) = blocks(client, "/rendez-vous/rencontre-test")
    assert event["@type"] == "Event" and event["startDate"] == "2025-01-14"
    assert [p["url"] for p in event["about"]] == ["http://localhost/pratiques/beta-insertion"]
    (glossary,) = blocks(client, "/glossaire")
    assert glossary["@type"] == "DefinedTermSet"
    terms = {t["termCode"]: t for t in glossary["hasDefinedTerm"]}
    assert set(terms) == {"TSX", "ZZQ"}
    assert terms["TSX"]["name"] == "terme synthétique d’exemple"
    assert "description" not in terms["ZZQ"]
    assert terms["TSX"]["inDefinedTermSet"] == "http://localhost/glossaire"
