"""Point 10: facet labels of values only withdrawn practices use (the other smaller
points are in test_no_server_errors.py and test_sessions.py)."""

from __future__ import annotations

from tests.contribute.support import mod_post, pending_id, submit

CITY = "Montreuil-sur-Loire"  # synthetic, from the test form


def test_a_value_used_only_by_withdrawn_practices_shows_no_label(client, mod_client,
                                                                 bundled_runtime):
    submit(client)
    mod_post(mod_client, f"/moderation/{pending_id(bundled_runtime)}/publier")
    url = "/recherche?city=montreuil-sur-loire&q=zzzyyyxxx"
    assert CITY in client.get(url).get_data(as_text=True)  # published: its label is public
    mod_post(mod_client, "/moderation/pratiques/jardins-partages-des-hortensias/retirer")
    for page in [url, "/recherche?city=montreuil-sur-loire", "/recherche?audience=familles&q=zzz"]:
        assert CITY not in client.get(page).get_data(as_text=True), page
