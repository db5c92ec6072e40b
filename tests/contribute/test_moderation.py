"""Moderation: login, the queue, edit, publish, reject, merge, withdraw, history."""

from __future__ import annotations

import html
import re

import pytest

from kb.services.search import search_practices

from .support import (
    EMAIL,
    NAME,
    csrf_token,
    login,
    mod_post,
    pending_id,
    submit,
)


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _found(runtime, text: str) -> list[str]:
    """Practices holding every word of ``text`` (partial results, which follow, left out)."""
    with runtime.session(write=False) as session:
        return [h.slug for h in search_practices(session, runtime.index, text).hits
                if not h.missing]


def _moderation_urls(app):
    """Every /moderation route but the login page, with its arguments filled in."""
    values = {"contribution_id": 1, "slug": "collectif-solution-uni-voisins", "acronym": "QPV",
              "proposal_id": 1, "number": 1}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/moderation") and rule.endpoint != "moderation.login":
            url = rule.rule
            for name in rule.arguments:
                url = url.replace(f"<int:{name}>", str(values[name])).replace(
                    f"<{name}>", str(values[name]))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, url


def test_every_moderation_route_requires_a_moderator(app, client, moderator):
    submit(client)  # contribution 1 exists
    token = csrf_token(client)
    routes = list(_moderation_urls(app))
    assert len(routes) >= 12
    for method, url in routes:
        response = client.open(url, method=method, data={"csrf_token": token, "reason": "x",
                                                         "target": "x"})
        assert response.status_code in (302, 403), (method, url, response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/moderation/connexion")
    with app.app_context():
        from sqlalchemy import select

        from kb.models import AuditLog, Contribution

        session = app.extensions["kb"].read_sessions()
        assert session.scalars(select(AuditLog)).first() is None
        assert session.scalars(select(Contribution)).one().status == "pending"
        session.close()


def test_a_wrong_password_is_refused(client, moderator):
    response = login(client, moderator[1], "mauvais-mot-de-passe")
    assert response.status_code == 401
    assert "Adresse ou mot de passe incorrect" in _page(response)
    assert login(client, "inconnu@exemple.fr", "x").status_code == 401
    assert client.get("/moderation").status_code == 302


def test_login_sets_a_fresh_session_with_safe_cookie_flags(client, moderator):
    csrf_token(client, "/moderation/connexion")
    with client.session_transaction() as session:
        session["stale"] = "left by someone before"
    response = login(client, moderator[1].upper(), moderator[2])
    assert response.status_code == 303 and response.headers["Location"] == "/moderation"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    with client.session_transaction() as session:
        assert "stale" not in session and "moderator" in session
    assert client.get("/moderation").status_code == 200


def test_the_session_cookie_is_secure_over_https_or_when_configured(bundled_runtime, moderator):
    from kb import create_app

    client = create_app({"TESTING": True, "SECRET_KEY": "t"}, runtime=bundled_runtime).test_client()
    token = csrf_token(client, "https://localhost/moderation/connexion")
    response = client.post("https://localhost/moderation/connexion", data={
        "csrf_token": token, "email": moderator[1], "password": moderator[2]},
        headers={"Referer": "https://localhost/moderation/connexion"})
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]
    configured = create_app({"TESTING": True, "SECRET_KEY": "t", "SESSION_COOKIE_SECURE": True},
                            runtime=bundled_runtime)
    assert configured.config["SESSION_COOKIE_SECURE"] is True


def test_login_redirects_back_but_only_inside_moderation(client, moderator):
    response = client.get("/moderation/pratiques")
    assert response.headers["Location"] == "/moderation/connexion?suivant=/moderation/pratiques"
    token = csrf_token(client, "/moderation/connexion")
    ok = client.post("/moderation/connexion?suivant=/moderation/pratiques",
                     data={"csrf_token": token, "email": moderator[1], "password": moderator[2]})
    assert ok.headers["Location"] == "/moderation/pratiques"
    client.post("/moderation/deconnexion", data={"csrf_token": csrf_token(client, "/moderation")})
    token = csrf_token(client, "/moderation/connexion")
    evil = client.post("/moderation/connexion?suivant=//evil.example/",
                       data={"csrf_token": token, "email": moderator[1], "password": moderator[2]})
    assert evil.headers["Location"] == "/moderation"


def test_logout_is_a_post_that_ends_the_session(mod_client):
    assert mod_client.get("/moderation/deconnexion").status_code == 405
    response = mod_post(mod_client, "/moderation/deconnexion")
    assert response.status_code == 303
    assert mod_client.get("/moderation").status_code == 302


def test_login_attempts_are_rate_limited(client, moderator):
    token = csrf_token(client, "/moderation/connexion")
    for _ in range(10):
        client.post("/moderation/connexion", data={"csrf_token": token, "email": moderator[1],
                                                   "password": "faux"})
    response = client.post("/moderation/connexion", data={
        "csrf_token": token, "email": moderator[1], "password": moderator[2]})
    assert response.status_code == 429
    assert "Trop d’envois" in _page(response)


def test_the_queue_lists_pending_items_oldest_first_with_counts(client, mod_client):
    submit(client, title="Première proposition", summary="La plus ancienne.")
    submit(client, title="Seconde proposition", summary="La plus récente.")
    page = _page(mod_client.get("/moderation"))
    assert "2 propositions en attente" in page and "2 nouvelles pratiques" in page
    assert page.index("Première proposition") < page.index("Seconde proposition")


def test_an_item_shows_preview_diff_and_similar_practices(client, mod_client, bundled_runtime):
    submit(client, title="Collectif de voisins solidaires",
           summary="Un collectif Uni’Voisins pour développer les solidarités à Rouen")
    page = _page(mod_client.get(f"/moderation/{pending_id(bundled_runtime)}"))
    assert 'class="preview"' in page and "<h4>Contexte</h4>" in page
    # The content first, then what it changes, then look-alikes, then the decision.
    order = [page.index(marker) for marker in (
        'class="preview"', 'id="diff-title"', 'id="similaires"', 'id="actions-title"')]
    assert order == sorted(order)
    assert 'href="/pratiques/collectif-solution-uni-voisins"' in page
    assert NAME in page  # moderators see who wrote it
    assert EMAIL not in page  # but the e-mail stays in the database


def _publish(client, mod_client, runtime, **overrides) -> str:
    submit(client, **overrides)
    number = pending_id(runtime)
    response = mod_post(mod_client, f"/moderation/{number}/publier")
    assert response.status_code == 303
    from kb.models import Contribution

    with runtime.session(write=False) as session:
        return session.get(Contribution, number).target_slug


def test_publishing_makes_the_practice_visible_and_searchable_at_once(client, mod_client,
                                                                      bundled_runtime):
    assert _found(bundled_runtime, "Hortensias") == []
    slug = _publish(client, mod_client, bundled_runtime)
    assert slug == "jardins-partages-des-hortensias"
    assert _found(bundled_runtime, "Hortensias") == [slug]
    assert client.get(f"/pratiques/{slug}").status_code == 200
    assert slug in client.get("/recherche?q=jardinage").get_data(as_text=True)
    assert "Jardins partagés des Hortensias" in _page(client.get(f"/pratiques/{slug}"))


def test_the_contributor_sees_the_publication_on_the_private_page(client, mod_client,
                                                                  bundled_runtime):
    link = submit(client)
    mod_post(mod_client, f"/moderation/{pending_id(bundled_runtime)}/publier")
    page = _page(client.get(link))
    assert "publiée" in page and 'href="/pratiques/jardins-partages-des-hortensias"' in page
    assert 'name="body"' not in page  # no more amending


def test_unpublishing_removes_the_practice_everywhere_at_once(client, mod_client, bundled_runtime):
    slug = _publish(client, mod_client, bundled_runtime)
    response = mod_post(mod_client, f"/moderation/pratiques/{slug}/retirer")
    assert response.status_code == 303
    assert _found(bundled_runtime, "Hortensias") == []
    assert client.get(f"/pratiques/{slug}").status_code == 404
    assert slug not in client.get("/recherche?q=Hortensias").get_data(as_text=True)
    mod_post(mod_client, f"/moderation/pratiques/{slug}/republier")
    assert _found(bundled_runtime, "Hortensias") == [slug]


def test_withdrawing_an_imported_practice(client, mod_client, bundled_runtime):
    slug = "collectif-solution-uni-voisins"
    assert slug in _found(bundled_runtime, "Uni’Voisins")
    mod_post(mod_client, f"/moderation/pratiques/{slug}/retirer")
    assert slug not in _found(bundled_runtime, "Uni’Voisins")
    assert client.get(f"/pratiques/{slug}").status_code == 404
    assert mod_post(mod_client, "/moderation/pratiques/nexiste-pas/retirer").status_code == 404


def test_a_second_practice_with_the_same_title_gets_a_numbered_slug(client, mod_client,
                                                                    bundled_runtime):
    assert _publish(client, mod_client, bundled_runtime) == "jardins-partages-des-hortensias"
    # Another write-up (the same one sent again within a minute would be recognised as one).
    assert _publish(client, mod_client, bundled_runtime,
                    summary="Un autre jardin partagé, au pied d’autres immeubles du quartier."
                    ) == "jardins-partages-des-hortensias-2"


def test_rejecting_needs_a_reason_shown_to_the_contributor(client, mod_client, bundled_runtime):
    link = submit(client)
    number = pending_id(bundled_runtime)
    mod_post(mod_client, f"/moderation/{number}/refuser", reason="  ")
    assert "en attente" in _page(client.get(link))
    mod_post(mod_client, f"/moderation/{number}/refuser", reason="Aucune source vérifiable.")
    page = _page(client.get(link))
    assert "refusée" in page and "Aucune source vérifiable." in page
    assert mod_post(mod_client, f"/moderation/{number}/publier").status_code == 303
    assert client.get("/pratiques/jardins-partages-des-hortensias").status_code == 404


def test_a_moderator_edits_then_publishes_and_only_moderators_see_the_original(
        client, mod_client, bundled_runtime):
    submit(client)
    number = pending_id(bundled_runtime)
    edit_url = f"/moderation/{number}/modifier"
    page = mod_client.get(edit_url).get_data(as_text=True)
    assert 'value="Jardins partagés des Hortensias"' in html.unescape(page)
    data = _form_from_page(page)
    data["summary"] = "Des ateliers de jardinage partagés qui apaisent le voisinage."
    data["action"] = "submit"
    response = mod_client.post(edit_url, data=data)
    assert response.status_code == 303, _page(response)[:3000]
    item = _page(mod_client.get(f"/moderation/{number}"))
    assert "Modifications de la modération" in item and "apaisent le voisinage" in item
    mod_post(mod_client, f"/moderation/{number}/publier")
    slug = "jardins-partages-des-hortensias"
    history = _page(client.get(f"/pratiques/{slug}/historique"))
    # Issue 9: the contributor's original (what moderation changed) is for moderators only.
    assert re.findall(r'<th scope="row">(\d+)</th>', history) == ["2"]
    assert "modérateur n°" in history
    assert EMAIL not in history and NAME not in history
    assert client.get(f"/pratiques/{slug}/historique/diff?de=1&a=2").status_code == 404
    full = _page(mod_client.get(f"/moderation/pratiques/{slug}/historique"))
    assert re.findall(r'<th scope="row">(\d+)</th>', full) == ["2", "1"]
    assert "non publiée" in full
    assert client.get(f"/pratiques/{slug}/historique/diff?de=1&a=9").status_code == 404
    assert client.get(f"/pratiques/{slug}/historique/diff?de=x&a=2").status_code == 404


def _form_from_page(page: str) -> dict:
    """The values a browser would send for the form on ``page`` (inputs, textareas, selects)."""
    data: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("submit",)):
            continue
        if kind and kind.group(1) == "checkbox" and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(name.group(1), []).append(html.unescape(value.group(1)) if value else "")
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data.setdefault(name, []).append(html.unescape(value))
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        data.setdefault(name, []).append(html.unescape(chosen.group(1)) if chosen else "")
    return data


def test_a_correction_publishes_a_revision_after_the_imported_version(client, mod_client,
                                                                       bundled_runtime):
    slug = "collectif-solution-uni-voisins"
    url = f"/pratiques/{slug}/corriger"
    data = _form_from_page(client.get(url).get_data(as_text=True))
    data["summary"] = [data["summary"][0] + " Le collectif compte aujourd’hui trente habitants."]
    data.update({"name": NAME, "email": EMAIL, "licence": "oui", "action": "submit",
                 "change_note": "Ajout du nombre d’habitants."})
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200, _page(response)[:3000]
    number = pending_id(bundled_runtime)
    item = _page(mod_client.get(f"/moderation/{number}"))
    assert "Différences avec la version publiée" in item and "trente habitants" in item
    mod_post(mod_client, f"/moderation/{number}/publier")
    assert "trente habitants" in _page(client.get(f"/pratiques/{slug}"))
    history = _page(client.get(f"/pratiques/{slug}/historique"))
    assert "import du corpus" in history
    assert re.findall(r'<th scope="row">(\d+)</th>', history) == ["2", "1"]
    diff = _page(client.get(f"/pratiques/{slug}/historique/diff?de=1&a=2"))
    assert "trente habitants" in diff
    # A phrase: other bundled practices may hold both words apart.
    assert _found(bundled_runtime, '"trente habitants"') == [slug]


def test_merging_makes_a_contribution_a_revision_of_the_chosen_practice(client, mod_client,
                                                                         bundled_runtime):
    submit(client)
    number = pending_id(bundled_runtime)
    target = "collectif-solution-uni-voisins"
    assert mod_post(mod_client, f"/moderation/{number}/fusionner", target=target).status_code == 303
    item = _page(mod_client.get(f"/moderation/{number}"))
    assert "Différences avec la version publiée" in item
    assert re.search(rf'correction de <a href="/pratiques/{target}"[^>]*>', item)
    mod_post(mod_client, f"/moderation/{number}/publier")
    assert client.get("/pratiques/jardins-partages-des-hortensias").status_code == 404
    assert "Jardins partagés des Hortensias" in _page(client.get(f"/pratiques/{target}"))
    refused = mod_post(mod_client, f"/moderation/{number}/fusionner", target=target)
    assert refused.status_code == 303  # already decided: flashed, nothing changes
    # The journal's note on the merge is kb's own words: in the page's language, not
    # marked as French content as a moderator's written reason is.
    french = mod_client.get("/moderation/journal").get_data(as_text=True)
    assert f'<span class="journal__reason">fusionnée dans {target}</span>' in french
    english = mod_client.get("/moderation/journal?lang=en").get_data(as_text=True)
    assert f'<span class="journal__reason">merged into {target}</span>' in english
    assert "fusionnée" not in english


def test_a_moderator_downloads_any_practice_as_markdown(client, mod_client, bundled_runtime):
    response = mod_client.get("/moderation/pratiques/collectif-solution-uni-voisins.md")
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("---\ntitle: Collectif Solution Uni’Voisins")
    slug = _publish(client, mod_client, bundled_runtime)
    mod_post(mod_client, f"/moderation/pratiques/{slug}/retirer")
    withdrawn = mod_client.get(f"/moderation/pratiques/{slug}.md").get_data(as_text=True)
    assert "Jardins partagés" in withdrawn and EMAIL not in withdrawn
    assert mod_client.get("/moderation/pratiques/nexiste-pas.md").status_code == 404


def test_every_action_is_in_the_audit_log(client, mod_client, bundled_runtime):
    from sqlalchemy import select

    from kb.models import AuditLog

    slug = _publish(client, mod_client, bundled_runtime)
    mod_post(mod_client, f"/moderation/pratiques/{slug}/retirer")
    submit(client, title="Autre", summary="Autre.")
    mod_post(mod_client, f"/moderation/{pending_id(bundled_runtime)}/refuser", reason="Doublon.")
    with bundled_runtime.session(write=False) as session:
        rows = list(session.scalars(select(AuditLog).order_by(AuditLog.id)))
    assert [(r.action, r.moderator_id is not None) for r in rows] == [
        ("publish", True), ("unpublish", True), ("reject", True)]
    assert rows[2].reason == "Doublon." and rows[1].target == f"practice:{slug}"
    journal = _page(mod_client.get("/moderation/journal"))
    assert "Doublon." in journal and "unpublish" not in journal
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d</time> — Retrait de « Jardins partagés des Hortensias » "
                     r"par modérateur n° \d+", journal)
    assert "Refus de « Autre » par modérateur" in journal


@pytest.mark.parametrize("url", ["/pratiques/collectif-solution-uni-voisins/historique"])
def test_an_imported_practice_has_an_empty_public_history(client, url):
    page = _page(client.get(url))
    assert "n’a pas été modifiée depuis son import" in page


def test_an_invalid_moderator_edit_is_refused_and_kept(client, mod_client, bundled_runtime):
    submit(client)
    url = f"/moderation/{pending_id(bundled_runtime)}/modifier"
    data = _form_from_page(mod_client.get(url).get_data(as_text=True))
    data["title"] = [""]
    data["action"] = "submit"
    response = mod_client.post(url, data=data)
    assert response.status_code == 422
    assert 'id="err-title"' in response.get_data(as_text=True)
