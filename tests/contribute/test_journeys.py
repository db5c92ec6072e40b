"""End to end in Chromium, with a real SMTP server: a first-time contributor, a moderator.

The contributor fills the form using the visible labels only, makes mistakes
and fixes them, previews, sends, receives the private link by e-mail, follows
it, and is told of the publication by e-mail. The moderator reviews, edits,
publishes, refuses and merges, and each decision sends its message.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import needs_chromium, serve

from .smtp import body, links
from .support import submit

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]

CONTRIBUTOR = "nadia.benali@exemple.fr"
MODERATOR = "coordination@reseau.example"


@pytest.fixture
def live(bundled_runtime, moderator, smtp_server, outbox) -> Iterator[tuple[str, object]]:
    """A live kb sending its mail to the test's SMTP server: (base URL, inbox)."""
    from kb import create_app

    url, inbox = smtp_server
    app = create_app({"SECRET_KEY": "journeys", "SMTP_URL": url, "MAIL_OUTBOX": str(outbox),
                      "MAIL_FROM": "kb <kb@reseau.example>"}, runtime=bundled_runtime)
    with serve(app) as base:
        app.config["BASE_URL"] = base
        yield base, inbox, app


def _problems(page) -> list[str]:
    found: list[str] = []
    # A form sent with mistakes answers 422 on purpose: not a problem of the page.
    page.on("console", lambda m: found.append(m.text)
            if m.type == "error" and "status of 422" not in m.text else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def _log_in(page, base: str, moderator) -> None:
    page.goto(f"{base}/moderation")
    page.get_by_label("Adresse électronique").fill(moderator[1])
    page.get_by_label("Mot de passe").fill(moderator[2])
    page.get_by_role("button", name="Se connecter").click()


def test_a_first_time_contributor_fills_fixes_previews_sends_and_is_told_by_mail(
        live, chromium, moderator):
    base, inbox, _app = live
    page = chromium.new_context(locale="fr-FR").new_page()
    problems = _problems(page)
    page.goto(f"{base}/contribuer")
    label = page.get_by_label
    label("Titre (obligatoire)").fill("Ateliers de réparation de vélos au pied des tours")
    label("Résumé (obligatoire)").fill(
        "Un atelier mensuel où les locataires réparent leurs vélos avec une association.")
    label("Médiation et lien social").check()
    label("Bailleur n° 1").fill("Office Hortensias Habitat")
    label("Partenaire n° 1 : nom").fill("Association Rayons")
    label("Partenaire n° 1 : rôle").fill("animation de l’atelier")
    label("Début").fill("vers 2022")  # mistake: not a date
    label("Contexte", exact=True).fill("Les caves étaient pleines de vélos hors d’usage.")
    label("Mise en œuvre", exact=True).fill(
        "Un samedi par mois :\n- diagnostic des vélos\n- réparation avec les bénévoles")
    label("Titre", exact=True).first.fill("Bilan de l’atelier 2023")
    label("Votre nom (obligatoire)").fill("Nadia Benali")
    label("Votre adresse électronique (obligatoire)").fill("nadia.benali@")  # mistake
    # mistake: licence unticked (no city is no mistake: a source may give none)
    page.get_by_role("button", name="Envoyer pour relecture").last.click()

    summary = page.locator(".error-summary")
    summary.wait_for()
    for text in ("Date de début : écrivez-la comme 15/09/2021",
                 "prenom.nom@exemple.fr", "Cochez la case de la licence"):
        assert text in summary.inner_text(), text
    assert "ville" not in summary.inner_text()
    started = label("Début")
    assert started.get_attribute("aria-invalid") == "true"
    assert "err-started" in started.get_attribute("aria-describedby")
    # Nothing typed is lost.
    assert label("Mise en œuvre", exact=True).input_value().endswith("réparation avec les bénévoles")
    # Each error goes away as soon as its field is fixed.
    label("Ville n° 1").fill("Montreuil-sur-Loire")
    label("Début").fill("09/2022")
    assert page.locator("#err-started").count() == 0
    label("Votre adresse électronique (obligatoire)").fill(CONTRIBUTOR)
    label("J’accepte que ma contribution soit publiée", exact=False).check()
    assert page.locator("#err-licence").count() == 0

    page.get_by_role("button", name="Prévisualiser").click()
    preview = page.locator(".preview")
    preview.wait_for()
    assert "diagnostic des vélos" in preview.locator(".prose li").first.inner_text()  # a real list
    send = page.get_by_role("button", name="Envoyer pour relecture").first
    gap = send.bounding_box()["y"] - (preview.bounding_box()["y"] + preview.bounding_box()["height"])
    assert 0 <= gap < 400, gap  # the send button right after the preview, not pages below
    send.click()
    if page.locator("text=Des pratiques proches existent déjà").count():
        page.get_by_role("button", name="Envoyer pour relecture").first.click()
    page.get_by_role("heading", name="Merci pour votre proposition").wait_for()

    received = inbox.wait_for(CONTRIBUTOR)[0]
    link = next(u for u in links(received) if "/contribuer/suivi/" in u)
    assert link.startswith(base)
    page.goto(link)
    assert "en attente de relecture" in page.inner_text(".status")

    moderator_page = chromium.new_context(locale="fr-FR").new_page()
    _log_in(moderator_page, base, moderator)
    moderator_page.get_by_role("link", name="Ateliers de réparation de vélos au pied des tours").click()
    moderator_page.get_by_role("button", name="Publier…").click()
    moderator_page.get_by_role("button", name="Oui, publier").click()
    published = inbox.wait_for(CONTRIBUTOR, 2)[-1]
    assert "est publiée" in published["Subject"]
    practice = next(u for u in links(published) if "/pratiques/" in u)
    page.goto(practice)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Ateliers de réparation de vélos au pied des tours")
    assert "09/2022" in page.content() or "2022" in page.content()
    assert not problems, problems


def test_a_moderator_reviews_edits_publishes_refuses_and_merges_each_with_its_mail(
        live, chromium, moderator, bundled_runtime):
    base, inbox, app = live
    client = app.test_client()
    submit(client, title="Jardins partagés des Hortensias", email="a@exemple.fr", name="Alice")
    submit(client, title="Ateliers sans source", email="b@exemple.fr", name="Bruno")
    submit(client, title="Collectif de voisins solidaires à Rouen", email="c@exemple.fr",
           name="Chloé", summary="Un collectif Uni’Voisins pour développer les solidarités.")
    page = chromium.new_context(locale="fr-FR").new_page()
    problems = _problems(page)
    _log_in(page, base, moderator)
    queue = page.locator("table.queue").inner_text()
    for name in ("Alice", "Bruno", "Chloé"):
        assert name in queue
    assert "depuis moins d’une heure" in queue and "nouvelle pratique" in queue
    assert page.locator("a[aria-current=page]", has_text="File de relecture").count() == 1

    # Review: the content first, then the decision; edit then publish.
    page.get_by_role("link", name="Jardins partagés des Hortensias").click()
    page.get_by_role("link", name="Modifier avant publication").click()
    page.get_by_label("Résumé (obligatoire)").fill("Des ateliers de jardinage qui ont apaisé le voisinage.")
    page.get_by_role("button", name="Enregistrer les modifications").last.click()
    edits = page.locator("#edits-title + *, #edits-title ~ *").first.inner_text()
    assert "apaisé" in edits
    page.get_by_role("button", name="Publier…").click()
    page.get_by_role("button", name="Oui, publier").click()
    assert "est publiée" in inbox.wait_for("a@exemple.fr", 2)[-1]["Subject"]

    # The next item is offered; refuse it with a common reason, confirmed.
    page.get_by_role("link", name="Proposition suivante").click()
    assert "Ateliers sans source" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("Il manque une source vérifiable", exact=False).check()
    page.get_by_role("button", name="Refuser…").click()
    assert "Il manque une source vérifiable" in page.locator("blockquote").inner_text()
    page.get_by_role("button", name="Oui, refuser").click()
    refused = inbox.wait_for("b@exemple.fr", 2)[-1]
    assert "n’a pas été retenue" in refused["Subject"]
    assert "Il manque une source vérifiable" in body(refused)

    # Merge the last one into the practice it duplicates.
    page.get_by_role("link", name="Proposition suivante").click()
    page.get_by_label("Fusionner dans une pratique existante", exact=False).select_option(
        "collectif-solution-uni-voisins")
    page.get_by_role("button", name="Fusionner").click()
    merged = inbox.wait_for("c@exemple.fr", 2)[-1]
    assert "rejoint une pratique existante" in merged["Subject"]
    assert "Différences avec la version publiée" in page.content()

    page.get_by_role("link", name="Journal").click()
    journal = page.locator("ol.journal").inner_text()
    assert "Publication de « Jardins partagés des Hortensias »" in journal
    assert "Refus de « Ateliers sans source »" in journal
    assert not problems, problems
