"""The search page with results found by meaning: valid HTML and no axe violation."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.live import needs_chromium, nu_check, serve
from tests.meaning.test_presentation import QUERY

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_search_page_with_meaning_results_is_valid_html(client, tmp_path):
    files = []
    for lang in ("fr", "en"):
        page = client.get("/recherche", query_string={"q": QUERY, "lang": lang})
        assert page.status_code == 200 and b'id="meaning-title"' in page.data
        path = tmp_path / f"search-meaning-{lang}.html"
        path.write_bytes(page.data)
        files.append(path)
    nu_check(files)


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("width", [1280, 360])
def test_search_page_with_meaning_results_has_no_axe_violation(chromium, bundled, width):
    from axe_playwright_python.sync_playwright import Axe

    from kb import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test"}, runtime=bundled)
    context = chromium.new_context(bypass_csp=True, viewport={"width": width, "height": 800})
    try:
        with serve(app) as url:
            page = context.new_page()
            page.goto(f"{url}/recherche?{urlencode({'q': QUERY, 'lang': 'fr'})}")
            assert page.get_by_role("heading", name="Pratiques proches par le sens").is_visible()
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            assert results.violations_count == 0, results.generate_report()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
