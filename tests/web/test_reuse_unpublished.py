"""A withdrawn practice disappears from the API, exports, feeds, sitemap and panorama."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from kb.models import Practice
from kb.services.indexing import sync_index

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
# beta-insertion is the only practice of "Insertion et emploi" and of Rouen, and it is
# presented at rencontre-test: withdrawing it must empty all of those.
GONE, GONE_TITLE = "beta-insertion", "Chantier d"
REUSE_URLS = [
    "/api/v1/practices", "/api/v1/practices?q=chantier", "/api/v1/search?q=chantier+insertion",
    "/api/v1/search", "/api/v1/facets", "/api/v1/rendez-vous", "/api/v1/rendez-vous/rencontre-test",
    "/api/v1/practices/alpha-mediation", "/recherche.csv", "/recherche.csv?q=chantier", "/flux.atom",
    "/themes/tranquillite-residentielle.atom", "/bailleurs/office-test-habitat.atom",
    "/villes/saint-etienne.atom", "/rendez-vous.ics", "/rendez-vous/rencontre-test.ics",
    "/sitemap.xml", "/panorama", "/themes/insertion-et-emploi.atom",  # a registry theme: empty feed
]


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def withdrawn(loaded_runtime):
    with loaded_runtime.session() as session:
        session.scalars(select(Practice).where(Practice.slug == GONE)).one().published = False
    with loaded_runtime.session(write=False) as session:
        sync_index(session, loaded_runtime.index, [GONE])
    return loaded_runtime


def _body(client, url: str) -> str:
    """The response text, iCalendar lines unfolded so a folded slug is still found."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True).replace("\r\n ", "")


def test_the_practice_is_visible_before(client):
    for url in ("/api/v1/practices", "/recherche.csv", "/flux.atom", "/sitemap.xml", "/rendez-vous.ics"):
        assert GONE in _body(client, url), url
    assert "city=rouen" in client.get("/panorama").get_data(as_text=True)  # charts link to search


@pytest.mark.parametrize("url", REUSE_URLS)
def test_withdrawn_practice_is_absent(withdrawn, client, url):
    body = _body(client, url)
    assert GONE not in body and GONE_TITLE not in body


@pytest.mark.parametrize("url", [f"/api/v1/practices/{GONE}", "/villes/rouen.atom"])
def test_what_only_the_withdrawn_practice_had_is_404(withdrawn, client, url):
    assert client.get(url).status_code == 404


def test_counts_no_longer_include_it(withdrawn, client):
    assert client.get("/api/v1/practices").get_json()["total"] == 1
    facets = client.get("/api/v1/facets").get_json()["facets"]
    assert {v["value"] for v in facets["city"]} == {"saint-etienne"}
    assert client.get("/api/v1/rendez-vous/rencontre-test").get_json()["practices"] == []
    assert "/villes/rouen" not in client.get("/sitemap.xml").get_data(as_text=True)
    assert "/themes/insertion-et-emploi" not in client.get("/sitemap.xml").get_data(as_text=True)
    panorama = client.get("/panorama").get_data(as_text=True)
    assert "city=rouen" not in panorama and "theme=insertion-et-emploi" not in panorama
