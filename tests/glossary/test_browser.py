"""End to end in Chromium: propose a term, publish it as a moderator, follow a marked acronym."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import serve

pytestmark = pytest.mark.browser


@pytest.fixture
def server(bundled_runtime, moderator) -> Iterator[str]:
    from kb import create_app

    with serve(create_app({"SECRET_KEY": "e2e"}, runtime=bundled_runtime)) as url:
        yield url


def test_propose_publish_and_follow_an_acronym_in_chromium(server, chromium, moderator):
    problems: list[str] = []
    visitor = chromium.new_context(locale="fr-FR").new_page()
    visitor.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    visitor.goto(f"{server}/glossaire")
    visitor.click("text=Proposer un sigle ou une correction")
    visitor.fill("#f-acronym", "plai")
    visitor.fill("#f-definition", "Définition synthétique écrite pour ce test.")
    visitor.click("button[type=submit]")
    # Nothing typed is lost when a field is missing.
    assert visitor.input_value("#f-definition") == "Définition synthétique écrite pour ce test."
    assert "« expansion » est obligatoire" in visitor.inner_text(".error-summary")
    problems.clear()  # the console reports that deliberate 400 answer
    visitor.fill("#f-expansion", "prêt locatif aidé d’intégration")
    visitor.click("button[type=submit]")
    assert visitor.url == f"{server}/glossaire"
    assert "relue par un modérateur" in visitor.inner_text("[role=status]")

    moderation = chromium.new_context(locale="fr-FR").new_page()
    moderation.goto(f"{server}/moderation/glossaire")
    moderation.fill("input[name=email]", moderator[1])
    moderation.fill("input[name=password]", moderator[2])
    moderation.click("button[type=submit]")
    assert moderation.url == f"{server}/moderation/glossaire"
    moderation.click("button:has-text('Publier')")
    assert "Proposition publiée : PLAI" in moderation.inner_text(".flash")

    visitor.goto(f"{server}/glossaire")
    assert visitor.locator("#PLAI").count() == 1
    visitor.goto(f"{server}/pratiques/groupement-parisien-interbailleurs-de-surveillance")
    mark = visitor.locator("a.glossary-term abbr[title='Groupement parisien interbailleurs de surveillance']")
    assert mark.count() == 1
    mark.click()
    assert visitor.url.endswith("/glossaire#GPIS")
    assert visitor.locator("#GPIS").is_visible()
    assert problems == []
