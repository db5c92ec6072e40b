"""The page lists of the axe and Nu tests follow the app's URL map."""

from __future__ import annotations

from .page_types import NOT_FOUND, NOT_PAGES, PAGES, examples, html_endpoints, needs_login, prepare_site


def test_every_html_route_has_an_example(app):
    """A new route fails here until tests/web/page_types.py lists it (see its docstring)."""
    missing = html_endpoints(app) - set(PAGES)
    assert not missing, f"routes with no example page in tests/web/page_types.py: {sorted(missing)}"
    stale = (set(PAGES) | set(NOT_PAGES)) - {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not stale, f"entries of tests/web/page_types.py naming no route: {sorted(stale)}"


def test_every_example_renders_a_page_in_both_languages(app):
    places = prepare_site(app)
    moderator, visitor = app.test_client(), app.test_client()
    from tests.contribute.support import login

    from .page_types import MODERATOR

    login(moderator, *MODERATOR)
    for name, endpoint, template in examples(english="all"):
        client = moderator if needs_login(endpoint) else visitor
        client.delete_cookie("kb_lang")
        response = client.get(template.format(**places))
        expected = 404 if template.split("?")[0] in NOT_FOUND else 200
        assert response.status_code == expected, name
        assert response.mimetype == "text/html", name
        lang = "en" if name.endswith("-en") else "fr"
        assert f'<html lang="{lang}"' in response.get_data(as_text=True), name
