"""/donnees: what it says is there is there."""

from __future__ import annotations

from sqlalchemy import func, select

from kb.models import Practice
from kb.services.reuse.schema import VERSION
from tests.web.helpers import page


def test_every_link_of_the_page_answers(client):
    html = page(client.get("/donnees"))
    local = [h for h in html.hrefs() if h.startswith("/") and not h.startswith("/#")]
    for href in ("/recherche.csv", "/api/v1/openapi.json", "/flux.atom", "/rendez-vous.ics",
                 "/schema/pratiques.json", "/api/v1/catalog.jsonld"):
        assert href in local, href
    for href in local:
        assert client.get(href).status_code == 200, href


def test_page_states_the_schema_version_and_the_last_change(client, loaded_runtime):
    text = page(client.get("/donnees")).text
    assert f"version {VERSION}" in text
    assert "frictionless validate pratiques.csv --schema http://localhost/schema/pratiques.json" in text
    with loaded_runtime.session(write=False) as session:
        last = session.scalar(select(func.max(Practice.updated_at)).where(Practice.published.is_(True)))
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
              "octobre", "novembre", "décembre"]
    assert f"Dernière modification d’une pratique : {last.day} {months[last.month - 1]} {last.year}." \
        in text
    english = page(client.get("/donnees?lang=en")).text
    assert "Last change to a practice:" in english and "What is published" in english


def test_footer_points_to_the_page(client):
    assert "/donnees" in page(client.get("/")).hrefs()
