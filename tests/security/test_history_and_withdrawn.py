"""Point 3: the public history showed what a moderator removed before publishing.
Point 6: a stale correction republished a withdrawn practice; merge accepted one."""

from __future__ import annotations

import re

from kb.models import PENDING, Contribution, Moderator
from kb.services import moderation
from kb.services.contributions.submissions import contribution_record
from tests.contribute.support import BODY, csrf_token, mod_post, pending_id, submit

PRIVATE = "Appeler Jean Dupont au 06 12 34 56 78."
SLUG = "jardins-partages-des-hortensias"
WITHDRAWN = "collectif-solution-uni-voisins"


def _edit_out_private_text(runtime, number: int, moderator_id: int) -> None:
    with runtime.session() as session:
        contribution = session.get(Contribution, number)
        record = contribution_record(contribution)
        record.body = BODY
        moderation.edit(session, contribution, record, session.get(Moderator, moderator_id))


def _published_with_private_original(client, mod_client, runtime, moderator) -> None:
    submit(client, body=BODY + "\n" + PRIVATE + "\n")
    number = pending_id(runtime)
    _edit_out_private_text(runtime, number, moderator[0])
    assert mod_post(mod_client, f"/moderation/{number}/publier").status_code == 303


def test_what_the_moderator_removed_is_not_public(client, mod_client, bundled_runtime, moderator):
    _published_with_private_original(client, mod_client, bundled_runtime, moderator)
    pages = [f"/pratiques/{SLUG}", f"/pratiques/{SLUG}/historique", f"/api/v1/practices/{SLUG}"]
    pages += [f"/pratiques/{SLUG}/historique/diff?de={a}&a={b}" for a in range(1, 4) for b in range(1, 4)]
    for url in pages:
        assert "06 12 34 56 78" not in client.get(url).get_data(as_text=True), url
    assert client.get(f"/pratiques/{SLUG}/historique/diff?de=1&a=2").status_code == 404
    full = mod_client.get(f"/moderation/pratiques/{SLUG}/historique").get_data(as_text=True)
    assert "non publiée" in full


def test_a_moderator_purges_a_revision_and_the_journal_says_so(client, mod_client, bundled_runtime,
                                                                moderator):
    _published_with_private_original(client, mod_client, bundled_runtime, moderator)
    url = f"/moderation/pratiques/{SLUG}/historique/1/purger"
    assert mod_post(mod_client, url, reason="").status_code == 303  # a reason is required
    with bundled_runtime.session(write=False) as session:
        from kb.services.contributions.revisions import get_revision
        from kb.storage import get_practice

        practice = get_practice(session, SLUG)
        assert PRIVATE in get_revision(session, practice.id, 1, public_only=False).snapshot
    assert mod_post(mod_client, url, reason="numéro de téléphone privé").status_code == 303
    with bundled_runtime.session(write=False) as session:
        revision = get_revision(session, practice.id, 1, public_only=False)
        assert revision.snapshot == "" and revision.purged_at is not None
        assert revision.contributor_email is None
    journal = mod_client.get("/moderation/journal").get_data(as_text=True)
    assert "numéro de téléphone privé" in journal
    assert f"practice:{SLUG}:revision:1" in journal
    full = mod_client.get(f"/moderation/pratiques/{SLUG}/historique").get_data(as_text=True)
    assert "06 12 34 56 78" not in full and "Contenu retiré par la modération" in full


def _pending_correction(client, bundled_runtime) -> int:
    from tests.contribute.test_moderation import _form_from_page

    url = f"/pratiques/{WITHDRAWN}/corriger"
    data = _form_from_page(client.get(url).get_data(as_text=True))
    data["summary"] = [data["summary"][0] + " Correction restée en attente."]
    data.update({"name": "Claire Martin", "email": "claire@exemple.fr", "licence": "oui",
                 "change_note": "Résumé complété.", "action": "submit"})
    assert client.post(url, data=data, follow_redirects=True).status_code == 200
    return pending_id(bundled_runtime)


def _withdraw(mod_client) -> None:
    assert mod_post(mod_client, f"/moderation/pratiques/{WITHDRAWN}/retirer").status_code == 303


def _status(runtime, number: int) -> str:
    with runtime.session(write=False) as session:
        return session.get(Contribution, number).status


def test_a_stale_correction_needs_an_explicit_republish_choice(client, mod_client, bundled_runtime):
    number = _pending_correction(client, bundled_runtime)
    _withdraw(mod_client)
    item = mod_client.get(f"/moderation/{number}").get_data(as_text=True)
    assert "Cette pratique est retirée du site" in item and 'name="republier"' in item
    mod_post(mod_client, f"/moderation/{number}/publier")
    assert _status(bundled_runtime, number) == PENDING  # refused: no choice made
    assert client.get(f"/pratiques/{WITHDRAWN}").status_code == 404
    page = mod_client.get(f"/moderation/{number}").get_data(as_text=True)
    assert "choisissez de la remettre en ligne ou de la laisser retirée" in page
    mod_post(mod_client, f"/moderation/{number}/publier", republier="non")
    assert _status(bundled_runtime, number) != PENDING
    assert client.get(f"/pratiques/{WITHDRAWN}").status_code == 404  # still withdrawn, corrected
    markdown = mod_client.get(f"/moderation/pratiques/{WITHDRAWN}.md").get_data(as_text=True)
    assert "Correction restée en attente." in markdown


def test_republishing_with_a_correction_when_chosen(client, mod_client, bundled_runtime):
    number = _pending_correction(client, bundled_runtime)
    _withdraw(mod_client)
    mod_post(mod_client, f"/moderation/{number}/publier", republier="oui")
    page = client.get(f"/pratiques/{WITHDRAWN}")
    assert page.status_code == 200 and "Correction restée en attente." in page.get_data(as_text=True)
    assert re.search(r"remise en ligne", mod_client.get("/moderation/journal").get_data(as_text=True))


def test_merging_into_a_withdrawn_practice_needs_the_choice(client, mod_client, bundled_runtime):
    submit(client)
    number = pending_id(bundled_runtime)
    _withdraw(mod_client)
    mod_post(mod_client, f"/moderation/{number}/fusionner", target=WITHDRAWN)
    with bundled_runtime.session(write=False) as session:
        assert session.get(Contribution, number).target_slug is None  # refused
    token = csrf_token(mod_client, "/moderation")
    mod_client.post(f"/moderation/{number}/fusionner",
                    data={"csrf_token": token, "target": WITHDRAWN, "republier": "non"})
    with bundled_runtime.session(write=False) as session:
        assert session.get(Contribution, number).target_slug == WITHDRAWN
