"""End to end in Debian's Chromium: user journeys, axe-core (WCAG 2.1 AA), screenshots.

A real server (werkzeug, 127.0.0.1, a free port) serves a temporary database and
index built from the synthetic corpus. Screenshots go to
``test-artifacts/screenshots/`` (ignored by git).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kb.config import ROOT
from tests.live import needs_chromium, serve

from .conftest import corpus_app
from .page_types import NOT_FOUND, examples, needs_login, prepare_site

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}

# Every HTML route (tests/web/page_types.py): each example in French, the first
# of each route in English too, at both widths; moderation pages logged in.
PAGE_EXAMPLES = {name: (endpoint, url) for name, endpoint, url in examples(english="first")}


pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    """A live kb on a fresh database and index, served from a thread.

    Yields its base URL, the placeholders of the page examples and a moderator's
    session cookie.
    """
    from tests.contribute.support import login

    from .page_types import MODERATOR

    with corpus_app(tmp_path_factory.mktemp("browser"), "browser-tests") as app:
        places = prepare_site(app)
        moderator = app.test_client()
        login(moderator, *MODERATOR)
        cookie = moderator.get_cookie(app.config["SESSION_COOKIE_NAME"])
        with serve(app) as url:
            yield {"url": url, "places": places, "session": cookie.value}


@pytest.fixture(scope="module")
def base_url(site) -> str:
    return site["url"]


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context, base_url):
    """A page that records every request and every console error."""
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.set_default_timeout(10_000)
    return page


def test_type_a_query_tick_a_facet_open_a_practice_follow_a_theme(page, base_url):
    page.goto(base_url + "/")
    page.get_by_label("Rechercher une pratique").fill("jardin")
    page.get_by_label("Rechercher une pratique").press("Enter")
    page.wait_for_url(re.compile(r"/recherche\?q=jardin$"))
    assert page.locator(".results-count").inner_text().startswith("23 pratiques")
    assert "jardinage" in page.locator(".result__snippet").first.inner_text()
    page.goto(base_url + "/recherche?q=jardinage")  # the word typed is highlighted
    assert page.locator(".result__snippet mark").first.inner_text() == "jardinage"
    page.go_back()
    page.wait_for_url(re.compile(r"/recherche\?q=jardin$"))

    page.locator(".facet__value", has_text="Thème synthétique 1").first.click()
    page.wait_for_url(re.compile(r"theme=theme-synthetique-1"))
    assert page.locator(".results-count").inner_text().startswith("3 pratiques")
    assert page.locator(".chip").count() == 1

    page.locator(".result__title a").first.click()
    page.wait_for_url(re.compile(r"/pratiques/synthetique-"))
    assert page.locator("h1").count() == 1

    page.locator(".tags a").first.click()
    page.wait_for_url(re.compile(r"/themes/theme-synthetique-1$"))
    assert page.locator("h1").inner_text() == "Thème synthétique 1"
    assert not page.errors, page.errors


def test_switch_language(page, base_url):
    page.goto(base_url + "/recherche?q=jardin")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Search for a practice"
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Themes").click()
    page.wait_for_url(re.compile(r"/themes$"))
    assert page.locator("html").get_attribute("lang") == "en"  # remembered by the cookie
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"lang=fr"))
    assert page.get_by_role("heading", level=1).inner_text() == "Thèmes"


def test_everything_works_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR",
                                  viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        page.get_by_label("Rechercher une pratique").fill("tranquillité")
        page.get_by_role("button", name="Rechercher").click()
        page.wait_for_url(re.compile(r"/recherche\?q=tranquillit"))
        page.locator(".facet__value", has_text="Rouen").first.click()
        page.wait_for_url(re.compile(r"city=rouen"))
        assert page.locator(".result").count() == 1
        page.locator(".chip").first.click()
        page.wait_for_url(re.compile(r"/recherche\?q=tranquillit[^&]*$"))
    finally:
        context.close()


def test_facets_fold_away_on_phones_when_javascript_runs(browser, base_url):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(base_url + "/recherche")
        assert not page.locator(".facet").first.is_visible()
        page.get_by_text("Afficher les filtres").click()
        assert page.locator(".facet").first.is_visible()
    finally:
        context.close()


def test_skip_link_is_first_and_visible_on_focus(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0


def test_no_request_leaves_the_origin_and_csp_is_never_violated(page, site, base_url):
    for endpoint, url in PAGE_EXAMPLES.values():
        if not needs_login(endpoint):
            page.goto(base_url + url.format(**site["places"]))
    foreign = [url for url in page.requests if not url.startswith(base_url)]
    assert not foreign
    assert not [e for e in page.errors if "Content Security Policy" in e]


@pytest.fixture(scope="module")
def axe_context(browser):
    # axe is injected into the page: the site's CSP would block it.
    context = browser.new_context(bypass_csp=True, locale="fr-FR")
    yield context
    context.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGE_EXAMPLES))
def test_axe_finds_no_wcag_21_aa_violation_and_no_horizontal_scroll(axe_context, site, name, width):
    from axe_playwright_python.sync_playwright import Axe

    endpoint, url = PAGE_EXAMPLES[name]
    axe_context.clear_cookies()  # a previous English page must not leak its language
    if needs_login(endpoint):
        axe_context.add_cookies([{"name": "session", "value": site["session"], "url": site["url"]}])
    page = axe_context.new_page()
    try:
        w, h = WIDTHS[width]
        page.set_viewport_size({"width": w, "height": h})
        url = url.format(**site["places"])
        response = page.goto(site["url"] + url)
        assert response.status == (404 if url.split("?")[0] in NOT_FOUND else 200)
        assert page.locator("html").get_attribute("lang") == ("en" if name.endswith("-en") else "fr")
        if needs_login(endpoint):
            assert "/moderation/connexion" not in page.url
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth") <= w, "the page scrolls sideways"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    finally:
        page.close()
