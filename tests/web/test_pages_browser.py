"""The practice sheet, partner pages, legal notice, home and panorama in Debian's Chromium.

Each page at 1280 and 360 px, in French and English: axe-core finds no WCAG 2.1
AA violation, nothing scrolls sideways, and a screenshot is saved to
``test-artifacts/screenshots/`` (ignored by git) for people to look at. Also:
the phone header holds on one row and its menu opens without JavaScript, and
the practice sheet prints as a clean one-to-two-page document.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kb.config import ROOT
from tests.live import needs_chromium, serve

from .conftest import corpus_app

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}
PAGES = {
    "sheet": "/pratiques/alpha-mediation",
    "sheet-sparse": "/pratiques/beta-insertion",
    "partners": "/partenaires",
    "partner": "/partenaires/association-exemple",
    "legal": "/mentions-legales",
    "about": "/a-propos",
    "home": "/",
    "panorama": "/panorama",
    "search-partner": "/recherche?partner=association-exemple",
}

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    """A live kb on a fresh database and index (synthetic corpus), served from a thread."""
    folder = tmp_path_factory.mktemp("pages-browser")
    with corpus_app(folder, "pages-browser-tests") as app, serve(app) as url:
        yield url


@pytest.fixture(scope="module")
def axe_context(chromium):
    # axe is injected into the page: the site's CSP would block it.
    context = chromium.new_context(bypass_csp=True)
    yield context
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_has_no_axe_violation_and_fits_the_screen(axe_context, base_url, name, width, lang):
    from axe_playwright_python.sync_playwright import Axe

    axe_context.clear_cookies()
    page = axe_context.new_page()
    try:
        w, h = WIDTHS[width]
        page.set_viewport_size({"width": w, "height": h})
        path = PAGES[name]
        page.goto(base_url + path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth") <= w
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"pages-{name}-{width}-{lang}.png"), full_page=True)
    finally:
        page.close()


def test_phone_header_is_one_row_and_its_menu_opens_without_javascript(chromium, base_url):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR",
                                   viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(base_url + "/pratiques/alpha-mediation")
        boxes = [page.locator(sel).bounding_box() for sel in (".brand__name", ".lang-switch", ".menu-button")]
        tops = {round(box["y"] + box["height"] / 2) for box in boxes}
        assert max(tops) - min(tops) <= 4, tops  # brand, language and menu share one row
        nav = page.get_by_role("navigation", name="Navigation principale")
        assert not nav.is_visible()
        page.get_by_role("link", name="Menu").click()
        assert nav.is_visible()
        nav.get_by_role("link", name="Partenaires").click()
        page.wait_for_url("**/partenaires")
        assert page.get_by_role("heading", level=1).inner_text() == "Partenaires"
    finally:
        context.close()


def test_desktop_shows_the_navigation_and_no_menu_button(chromium, base_url):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        assert page.get_by_role("navigation", name="Navigation principale").is_visible()
        assert not page.locator(".menu-button").is_visible()
        header = page.locator(".site-header__inner").bounding_box()
        assert header["height"] < 70
    finally:
        context.close()


def test_practice_sheet_prints_clean_on_one_or_two_pages(chromium, base_url):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + "/pratiques/alpha-mediation")
        page.emulate_media(media="print")
        hidden = {sel: page.locator(sel).first.is_visible() for sel in (
            ".site-nav", ".site-footer", ".practice__actions", ".breadcrumb", ".skip-link")}
        assert not any(hidden.values()), hidden
        printed_url = page.locator(".practice__header .print-url")
        assert printed_url.is_visible()
        assert printed_url.inner_text() == base_url + "/pratiques/alpha-mediation"
        source_url = page.locator(".sources .print-url")
        assert source_url.is_visible() and source_url.inner_text() == "https://example.org/doc"
        assert page.locator(".keyfacts").is_visible()
        pdf = page.pdf(format="A4")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "practice-sheet.pdf").write_bytes(pdf)
        # Chromium writes one "/Type /Page" object per page (and "/Type /Pages" for the tree).
        pages = pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page/") + pdf.count(b"/Type /Page>")
        assert 1 <= pages <= 2, pages
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("slug", ["alpha-mediation", "beta-insertion"])
def test_a_short_practice_sheet_prints_on_one_page(chromium, base_url, slug, lang):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base_url}/pratiques/{slug}?lang={lang}")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        pages = pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page/") + pdf.count(b"/Type /Page>")
        assert pages == 1, (slug, lang, pages)
    finally:
        context.close()
