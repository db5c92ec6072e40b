"""End to end in Debian's Chromium: user journeys, axe-core (WCAG 2.1 AA), screenshots.

A real server (werkzeug, 127.0.0.1, a free port) serves a temporary database and
index built from the synthetic corpus. Screenshots go to
``test-artifacts/screenshots/`` (ignored by git).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kb.config import ROOT, Settings
from tests.live import CHROMIUM, serve

from .conftest import build_corpus

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}

PAGE_TYPES = {
    "home": "/",
    "search": "/recherche?q=jardin&theme=theme-synthetique-1&theme=theme-synthetique-2",
    "search-all": "/recherche?sort=title&page=2",
    "search-empty": "/recherche?q=zzzqqq&city=rouen",
    "practice": "/pratiques/alpha-mediation",
    "practice-hostile": "/pratiques/gamma-piegee",
    "themes": "/themes",
    "theme": "/themes/tranquillite-residentielle",
    "landlords": "/bailleurs",
    "landlord": "/bailleurs/office-test-habitat",
    "cities": "/villes",
    "city": "/villes/rouen",
    "events": "/rendez-vous",
    "event": "/rendez-vous/rencontre-future",
    "about": "/a-propos",
    "not-found": "/pratiques/inconnue",
    "home-en": "/?lang=en",
    "practice-en": "/pratiques/alpha-mediation?lang=en",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"Chromium is not installed at {CHROMIUM} (KB_CHROMIUM)"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    """A live kb on a fresh database and index, served from a thread."""
    from kb import create_app
    from kb.runtime import Runtime
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    folder = tmp_path_factory.mktemp("browser")
    corpus = build_corpus(folder / "corpus")
    runtime = Runtime.open(Settings(database_url=f"sqlite:///{folder / 'kb.sqlite'}",
                                    index_dir=folder / "index", corpus_dir=corpus))
    runtime.upgrade()
    with runtime.session() as session:
        import_folder(session, corpus)
    with runtime.session(write=False) as session:
        rebuild_index(session, runtime.index)
    app = create_app({"SECRET_KEY": "browser-tests"}, runtime=runtime)
    try:
        with serve(app) as url:
            yield url
    finally:
        runtime.close()


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
    assert page.locator(".result__snippet mark").first.inner_text() == "jardinage"

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


def test_no_request_leaves_the_origin_and_csp_is_never_violated(page, base_url):
    for path in PAGE_TYPES.values():
        page.goto(base_url + path)
    foreign = [url for url in page.requests if not url.startswith(base_url)]
    assert not foreign
    assert not [e for e in page.errors if "Content Security Policy" in e]


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_horizontal_scroll_on_a_phone(browser, base_url, name):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(base_url + PAGE_TYPES[name])
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


@pytest.fixture(scope="module")
def axe_context(browser):
    # axe is injected into the page: the site's CSP would block it.
    context = browser.new_context(bypass_csp=True, locale="fr-FR")
    yield context
    context.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_axe_finds_no_wcag_21_aa_violation(axe_context, base_url, name, width):
    from axe_playwright_python.sync_playwright import Axe

    axe_context.clear_cookies()  # a previous English page must not leak its language
    page = axe_context.new_page()
    try:
        w, h = WIDTHS[width]
        page.set_viewport_size({"width": w, "height": h})
        page.goto(base_url + PAGE_TYPES[name])
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, results.generate_report()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    finally:
        page.close()
