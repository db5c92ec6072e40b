"""Atom feeds: valid Atom 1.0 with every required element, 404 for unknown values."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
FEEDS = {
    "/flux.atom": ({"alpha-mediation", "beta-insertion"}, "http://localhost/"),
    "/themes/insertion-et-emploi.atom": ({"beta-insertion"}, "http://localhost/themes/insertion-et-emploi"),
    "/themes/tranquillite-residentielle.atom": ({"alpha-mediation", "beta-insertion"},
                                                "http://localhost/themes/tranquillite-residentielle"),
    "/bailleurs/office-test-habitat.atom": ({"alpha-mediation", "beta-insertion"},
                                            "http://localhost/bailleurs/office-test-habitat"),
    "/villes/rouen.atom": ({"beta-insertion"}, "http://localhost/villes/rouen"),
}


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.mark.parametrize("path", list(FEEDS))
def test_feed_is_valid_atom_with_required_fields(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.data)
    # feedparser is lenient: a missing id or author still parses, so check each field.
    assert feed.version == "atom10" and feed.bozo == 0
    slugs, alternate = FEEDS[path]
    assert feed.feed.id == f"http://localhost{path}"
    assert feed.feed.title and feed.feed.updated_parsed and feed.feed.author_detail.name == "kb"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": f"http://localhost{path}", "alternate": alternate}
    assert {e.link.rsplit("/", 1)[1] for e in feed.entries} == slugs
    for entry in feed.entries:
        assert entry.id == entry.link == f"http://localhost/pratiques/{entry.link.rsplit('/', 1)[1]}"
        assert entry.title and entry.updated_parsed and entry.summary
        assert entry.authors and all(a.name for a in entry.authors)


def test_entry_authors_are_the_organisations(client):
    feed = feedparser.parse(client.get("/flux.atom").data)
    authors = {e.link.rsplit("/", 1)[1]: [a.name for a in e.authors] for e in feed.entries}
    assert authors["alpha-mediation"] == ["Office Test Habitat", "Association Exemple"]
    assert authors["beta-insertion"] == ["Office Test Habitat"]


def test_entries_are_newest_first(client, loaded_runtime):
    import datetime as dt

    from sqlalchemy import select

    from kb.models import Practice

    with loaded_runtime.session() as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "alpha-mediation")).one()
        practice.created_at = dt.datetime(2030, 1, 1)
    feed = feedparser.parse(client.get("/flux.atom").data)
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == ["alpha-mediation", "beta-insertion"]


@pytest.mark.parametrize("path", [
    "/themes/inconnu.atom", "/bailleurs/inconnu.atom", "/villes/inconnu.atom", "/villes/Rouen.atom",
    "/themes/a..b.atom", "/villes/quartier-test.atom",  # a district is not a city
])
def test_unknown_values_have_no_feed(client, path):
    assert client.get(path).status_code == 404


def test_registry_values_have_a_feed_before_their_first_practice(client, loaded_runtime):
    from sqlalchemy import select

    from kb.models import Practice

    with loaded_runtime.session() as session:
        session.scalars(select(Practice).where(Practice.slug == "beta-insertion")).one().published = False
    # "Insertion et emploi" is in the fixture registry: its page and feed stay, empty.
    feed = feedparser.parse(client.get("/themes/insertion-et-emploi.atom").data)
    assert feed.bozo == 0 and feed.feed.title.endswith("Insertion et emploi") and feed.entries == []
    assert client.get("/bailleurs/association-exemple.atom").status_code == 200  # registry organisation
    assert client.get("/villes/rouen.atom").status_code == 404  # cities have no registry
