"""End to end in Chromium: contribute, moderate, publish, find, and read the history.

A real server runs in a thread on a free port of 127.0.0.1 over this test's
database and index. Also checks the contribution and moderation pages with axe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.live import serve

from .support import EMAIL, NAME

pytestmark = pytest.mark.browser

CONTEXT = "Dans la résidence des Hortensias, les relations entre voisins s'étaient tendues."
DONE = "Une grainothèque et des bacs partagés animés chaque semaine par l'association."


@pytest.fixture
def server(bundled_runtime, moderator, outbox) -> Iterator[str]:
    from kb import create_app

    app = create_app({"SECRET_KEY": "e2e", "MAIL_OUTBOX": str(outbox)}, runtime=bundled_runtime)
    with serve(app) as url:
        app.config["BASE_URL"] = url  # links in pages and mails point at this server
        yield url


@pytest.fixture
def browser(chromium):
    return chromium


def _watch(page, problems: list[str]) -> None:
    """Collect console errors (a CSP violation shows up there) and failed requests."""
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))


def _fill_contribution(page) -> None:
    page.fill("#f-summary", "Des ateliers de jardinage au pied des immeubles pour apaiser le voisinage.")
    page.check("input[name=themes][value='Médiation et lien social']")
    page.fill("#f-landlord-0", "Office Hortensias Habitat")
    page.fill("#f-partner-name-0", "Association Racines")
    page.fill("#f-partner-role-0", "animation des ateliers")
    page.fill("#f-city-0", "Montreuil-sur-Loire")
    page.select_option("#f-status", "en cours")
    page.fill("#f-started", "2022")
    page.fill("#f-source-title-0", "Bilan des ateliers 2023")
    page.fill("#f-source-url-0", "https://exemple.org/bilan")
    page.fill("#f-section_0", CONTEXT)
    page.fill("#f-section_2", DONE)
    page.fill("#f-name", NAME)


def test_contribute_then_moderate_then_find_it_in_chromium(server, browser, moderator):
    problems: list[str] = []
    contributor = browser.new_context(locale="fr-FR").new_page()
    _watch(contributor, problems)
    contributor.goto(f"{server}/contribuer")

    # While typing, the page's script asks for look-alikes (progressive enhancement).
    contributor.fill("#f-title", "Collectif Uni’Voisins de solidarité")
    contributor.locator("#similaires").wait_for(state="visible", timeout=10_000)
    assert "Collectif Solution Uni’Voisins" in contributor.inner_text("#similaires")
    contributor.fill("#f-title", "Jardins partagés des Hortensias")
    _fill_contribution(contributor)

    # One mistake: a malformed e-mail and the licence left unticked.
    contributor.fill("#f-email", "claire.martin@")
    contributor.click("button[name=action][value=submit]")
    assert contributor.get_attribute("#f-email", "aria-invalid") == "true"
    assert "prenom.nom@exemple.fr" in contributor.inner_text("#err-email")
    assert contributor.input_value("#f-section_2") == DONE  # nothing lost
    assert contributor.input_value("#f-source-url-0") == "https://exemple.org/bilan"
    contributor.fill("#f-email", EMAIL)
    contributor.check("#f-licence")

    contributor.click("button[name=action][value=preview]")
    assert "grainothèque" in contributor.inner_text(".preview")
    contributor.click("button[name=action][value=submit]")
    if "Des pratiques proches existent déjà" in contributor.content():
        contributor.click("button[name=action][value=submit]")  # confirmed: it is a new one
    contributor.locator("h1", has_text="Merci pour votre proposition").wait_for()
    link = contributor.inner_text(".private-link")
    assert "/contribuer/suivi/" in link

    moderator_page = browser.new_context(locale="fr-FR").new_page()
    _watch(moderator_page, problems)
    moderator_page.goto(f"{server}/moderation")
    assert "/moderation/connexion" in moderator_page.url
    moderator_page.fill("#f-email", moderator[1])
    moderator_page.fill("#f-password", moderator[2])
    moderator_page.click("button[type=submit]")
    moderator_page.click("text=Jardins partagés des Hortensias")
    moderator_page.click("text=Modifier avant publication")
    moderator_page.fill("#f-summary", "Des ateliers de jardinage partagés qui ont apaisé le voisinage.")
    moderator_page.click("button[name=action][value=submit]")
    assert "Modifications enregistrées" in moderator_page.content()
    moderator_page.click("button:has-text('Publier…')")
    moderator_page.click("button:has-text('Oui, publier')")  # the confirmation step
    assert "Publiée" in moderator_page.content()

    contributor.goto(f"{server}/recherche?q=grainothèque")
    result = contributor.locator("a[href='/pratiques/jardins-partages-des-hortensias']").first
    result.wait_for()
    result.click()
    assert "ont apaisé le voisinage" in contributor.content()
    contributor.goto(f"{server}/pratiques/jardins-partages-des-hortensias/historique")
    rows = contributor.locator("table.revisions tbody tr")
    # Public history holds published versions only: the contributor's original, which the
    # moderator edited before publishing, stays with the moderators.
    assert rows.count() == 1
    history = contributor.inner_text("table.revisions")
    assert EMAIL not in history and NAME not in history
    assert contributor.locator("text=voir les changements").count() == 0

    contributor.goto(link)
    assert "publiée" in contributor.inner_text(".status")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.response["passes"], "axe ran no rule"
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


def test_contribution_and_moderation_pages_pass_axe(server, browser, moderator):
    page = browser.new_context(locale="fr-FR", bypass_csp=True).new_page()
    found = {}
    page.goto(f"{server}/contribuer")
    found["form"] = _axe_violations(page)
    page.fill("#f-title", "Jardins partagés des Hortensias")
    page.fill("#f-source-url-0", "ftp://non")
    page.click("button[name=action][value=submit]")
    found["errors"] = _axe_violations(page)
    page.click("button[name=action][value=preview]")
    found["preview"] = _axe_violations(page)
    page.goto(f"{server}/moderation/connexion")
    found["login"] = _axe_violations(page)
    page.fill("#f-email", moderator[1])
    page.fill("#f-password", moderator[2])
    page.click("button[type=submit]")
    found["queue"] = _axe_violations(page)
    page.goto(f"{server}/moderation/pratiques")
    found["practices"] = _axe_violations(page)
    page.goto(f"{server}/pratiques/collectif-solution-uni-voisins/historique")
    found["history"] = _axe_violations(page)
    assert not {name: v for name, v in found.items() if v}, found
    assert re.search(r"/pratiques/", page.url)
