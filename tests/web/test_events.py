"""/rendez-vous and its detail pages."""

from __future__ import annotations

from .conftest import set_published
from .helpers import page


def test_events_list_upcoming_then_past(client):
    response = client.get("/rendez-vous")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.index("Rencontre future") < html.index("id=\"passes\"") < html.index("Rencontre synthétique")
    assert "14 janvier 2025" in html
    assert 'href="/rendez-vous.ics"' in html


def test_event_page(client):
    html = page(client.get("/rendez-vous/rencontre-test"))
    assert html.h1() == ["Rencontre synthétique"]
    assert "14 janvier 2025" in html.text and "Association Exemple" in html.text
    assert "/pratiques/beta-insertion" in html.hrefs()
    assert "/rendez-vous/rencontre-test.ics" in html.hrefs()
    assert "/themes/insertion-et-emploi" in html.hrefs()


def test_event_page_lists_only_published_practices(client, loaded_runtime):
    set_published(loaded_runtime, "gamma-piegee", False)
    html = page(client.get("/rendez-vous/rencontre-future"))
    assert "/pratiques/alpha-mediation" in html.hrefs()
    assert "/pratiques/gamma-piegee" not in html.hrefs()


def test_unknown_event_is_404(client):
    for slug in ("inconnu", "..%2Fx", "%00", "Rencontre-Test"):
        assert client.get(f"/rendez-vous/{slug}").status_code == 404
