"""The public contribution form: validation, nothing lost, preview, duplicates, spam guards."""

from __future__ import annotations

import html
import re

import pytest

from .support import BODY, EMAIL, csrf_token, post_form, private_link, submit, valid_form


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _error(page: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="err-{re.escape(field)}">(.*?)</p>', page, re.S)
    assert match, f"no error shown for {field}"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def test_the_form_has_one_box_per_section_with_a_hint_and_an_example(client):
    page = _page(client.get("/contribuer"))
    for i, section in enumerate(("Contexte", "Objectifs", "Mise en œuvre", "Moyens", "Résultats",
                                 "Points de vigilance", "Pour essaimer")):
        box = re.search(rf'<label for="f-section_{i}">{section}</label>\s*'
                        rf'<p class="hint" id="hint-section_{i}">(.*?)</p>\s*'
                        rf'<textarea id="f-section_{i}" name="section_{i}"', page, re.S)
        assert box, section
        assert "Exemple" in box.group(1)
    assert "## " not in page.split("<form", 1)[1]  # no Markdown heading to keep or type
    assert "Comptez 20 à 40 minutes" in page
    assert 'name="csrf_token"' in page
    assert '<datalist id="organisations">' in page and 'value="3F"' in page  # aliases too
    # Cities, audiences and related practices: suggestions from what is published.
    assert re.search(r'<datalist id="known-cities">.*value="Rouen"', page)
    assert re.search(r'<datalist id="practice-titles">.*value="Collectif Solution Uni’Voisins"', page)
    assert 'name="inspiration"' in page and 'list="practice-titles"' in page
    assert page.count('name="source_title"') == 3
    assert 'src="/static/contribute.js"' in page and "<script>" not in page


RULES = [
    ({"title": ""}, "title", "Titre"),
    ({"summary": "x" * 501}, "summary", "501 caractères"),
    ({"themes": [], "new_themes": ""}, "themes", "Thèmes"),
    ({"landlord": ["", ""], "partner_name": ["", ""], "partner_role": ["", ""]}, "landlords",
     "Indiquez au moins un bailleur ou un partenaire"),
    ({"status": "abandonnée"}, "status", "valeurs permises"),
    ({"evidence": "certaine"}, "evidence", "valeurs permises"),
    ({"started": "vers 2020"}, "started", "15/09/2021, 09/2021 ou 2021"),
    ({"started": "2022", "ended": "2019"}, "ended", "La fin ne peut pas précéder le début"),
    ({"source_url": ["javascript:alert(1)", "", ""]}, "sources-0", "http"),
    ({"source_title": ["", "", ""], "source_url": ["https://a.example", "", ""]}, "sources-0",
     "Titre"),
    ({"source_date": ["hier", "", ""]}, "sources-0", "date"),
    ({"partner_name": ["", ""], "partner_role": ["animation", ""]}, "partners-0", "nom du partenaire"),
    ({"body": "## Historique\n\nTexte.\n"}, "body", "inconnue"),
    ({"inspired_by": "pratique-qui-n-existe-pas"}, "inspired_by", "Aucune pratique publiée"),
    ({"inspired_by": "Pas Un Titre Connu"}, "inspired_by", "choisissez un titre"),
    ({"new_themes": "Médiation et lien social"}, "themes", "répète"),
    ({"name": ""}, "name", "nom"),
    ({"email": ""}, "email", "adresse"),
    ({"email": "pas-une-adresse"}, "email", "prenom.nom@exemple.fr"),
    ({"licence": ""}, "licence", "licence"),
    ({"title": "T" * 301}, "title", "300"),
]


@pytest.mark.parametrize("overrides, field, words", RULES,
                         ids=[f"{r[1]}-{i}" for i, r in enumerate(RULES)])
def test_each_rule_is_checked_and_shown_next_to_its_field(client, bundled_runtime, overrides,
                                                           field, words):
    response = post_form(client, **overrides)
    assert response.status_code == 422
    page = _page(response)
    assert words.lower() in _error(page, field).lower()
    assert f'href="#err-{field}"' in page  # listed in the summary at the top
    # the input is marked invalid and points at its message
    assert re.search(rf'aria-describedby="[^"]*err-{re.escape(field)}[^"]*"', page)
    assert 'aria-invalid="true"' in page
    from sqlalchemy import func, select

    from kb.models import Contribution

    with bundled_runtime.session(write=False) as session:
        assert session.scalar(select(func.count(Contribution.id))) == 0


def test_the_valid_form_and_kb_validate_agree(client, tmp_path, runner):
    """What the form accepts, dumped as a file, passes ``kb validate``."""
    from werkzeug.datastructures import MultiDict

    from kb.corpus import dump_practice
    from kb.services.contributions.drafts import Draft, check_draft

    record = check_draft(Draft.from_form(MultiDict(valid_form()))).record
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "jardins-partages.md").write_text(dump_practice(record), encoding="utf-8")
    result = runner("validate", str(folder))
    assert result.exit_code == 0, result.output


def test_nothing_typed_is_lost_on_an_error(client):
    sources = {"source_title": ["Bilan 2023", "Article « Le Courrier »", "Rapport", "Quatrième"],
               "source_url": ["https://exemple.org/bilan", "https://journal.example/a", "", "x"],
               "source_date": ["2023-12-01", "2024", "2022-05-10", ""],
               "source_publisher": ["Office", "Le Courrier", "Ville", "Autre"]}
    form = valid_form(email="", new_themes="Jardinage urbain", **sources,
                      landlord=["Office Hortensias Habitat", "3F", "Troisième bailleur"],
                      body=BODY + "\n## Résultats\n\n<script>x</script> & « guillemets »\n")
    form["csrf_token"] = csrf_token(client)
    response = client.post("/contribuer", data=form)
    assert response.status_code == 422
    page = _page(response)
    for name in ("title", "summary", "districts", "contact", "name", "new_themes"):
        assert form[name] in page, name
    for value in ("Montreuil-sur-Loire", "locataires", "familles"):  # one row each
        assert f'value="{value}"' in page, value
    for text in ("Le quartier des Hortensias", "Recréer du lien",
                 "<script>x</script> & « guillemets »"):  # each in its section box
        assert text in page, text
    for values in (*sources.values(), form["landlord"], form["partner_name"], form["partner_role"]):
        for value in values:
            assert f'value="{value}"' in page or not value, value
    assert page.count('name="source_title"') == 4  # the fourth row stays
    assert re.search(r'<option value="en cours" selected>', page)
    assert re.search(r'<option value="émergente" selected>', page)
    assert re.search(r'value="Médiation et lien social" checked', page)
    assert re.search(r'id="f-licence" name="licence" value="oui" required checked', page)


def test_add_a_row_re_renders_with_one_more_and_no_errors(client):
    response = post_form(client, add_row="sources", title="", action="")
    page = _page(response)
    assert response.status_code == 200
    assert page.count('name="source_title"') == 4
    assert "field-error" not in page
    assert 'value="Bilan des ateliers 2023"' in page


def test_preview_shows_the_sanitised_page_with_the_form_still_filled(client):
    body = (BODY + "\n## Résultats\n\nDes **résultats** <script>alert(1)</script> "
            "[lien](javascript:alert(2))\n")
    response = post_form(client, action="preview", body=body)
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    preview = raw[raw.index('class="preview"'):raw.index("</section>", raw.index('class="preview"'))]
    assert "<strong>résultats</strong>" in preview
    assert "<script>" not in preview and "javascript:" not in preview
    assert "<h4>Contexte</h4>" in preview  # headings below the page's own
    assert "Moyens" not in preview  # empty sections of the template are not published
    assert "Jardins partagés des Hortensias" in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw  # and in the textarea, as typed
    assert 'value="Bilan des ateliers 2023"' in raw


def test_similar_practices_are_shown_on_preview(client):
    response = post_form(client, action="preview", title="Collectif de voisins solidaires",
                         summary="Un collectif Uni’Voisins pour développer les solidarités à Rouen")
    page = _page(response)
    assert "Cette pratique existe peut-être déjà" in page
    assert 'href="/pratiques/collectif-solution-uni-voisins"' in page


def test_similar_practices_must_be_seen_before_a_submission_is_stored(client, bundled_runtime):
    overrides = {"title": "Collectif de voisins solidaires",
                 "summary": "Un collectif Uni’Voisins pour développer les solidarités à Rouen"}
    first = post_form(client, **overrides)
    page = _page(first)
    assert first.status_code == 200 and "/contribuer/suivi/" not in page
    assert "Des pratiques proches existent déjà" in page
    ack = re.search(r'name="similar_ack" value="([^"]*)"', page).group(1)
    assert "collectif-solution-uni-voisins" in ack
    second = post_form(client, similar_ack=ack, **overrides)
    assert "/contribuer/suivi/" in _page(second)


def test_the_similar_endpoint_answers_json_for_published_practices_only(client):
    response = client.get("/contribuer/similaires", query_string={
        "title": "Collectif Uni’Voisins", "summary": "solidarités entre voisins à Rouen"})
    assert response.status_code == 200 and response.is_json
    slugs = [r["slug"] for r in response.get_json()["results"]]
    assert "collectif-solution-uni-voisins" in slugs
    assert client.get("/contribuer/similaires").get_json() == {"results": []}


def test_a_submission_gives_a_private_link_to_follow_it(client):
    link = submit(client)
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 32
    page = _page(client.get(link))
    assert "en attente de relecture" in page
    assert EMAIL not in page  # the private page does not echo the e-mail either
    assert client.get(link[:-2] + "xx").status_code == 404


def test_the_token_is_stored_hashed(client, bundled_runtime):
    from sqlalchemy import select

    from kb.models import Contribution

    token = submit(client).rsplit("/", 1)[1]
    with bundled_runtime.session(write=False) as session:
        stored = session.scalars(select(Contribution.token_hash)).one()
    assert token not in stored and len(stored) == 64


def test_a_pending_contribution_can_be_amended_from_its_private_link(client, bundled_runtime):
    link = submit(client)
    page = _page(client.get(link))
    assert 'value="Jardins partagés des Hortensias"' in page  # pre-filled
    data = valid_form(title="Jardins partagés des Hortensias et des Lilas")
    for key in ("name", "email", "licence"):
        data.pop(key)
    data["csrf_token"] = csrf_token(client, link)
    response = client.post(link, data=data)
    assert response.status_code == 303
    page = _page(client.get(response.headers["Location"]))
    assert "Vos modifications ont été enregistrées" in page
    assert "Jardins partagés des Hortensias et des Lilas" in page


def test_a_correction_form_is_prefilled_with_the_published_record(client):
    page = _page(client.get("/pratiques/collectif-solution-uni-voisins/corriger"))
    assert 'value="Collectif Solution Uni’Voisins"' in page
    assert "Rouen" in page and "CDC Habitat" in page
    assert client.get("/pratiques/nexiste-pas/corriger").status_code == 404


def test_a_correction_is_stored_as_a_proposed_revision(client, bundled_runtime):
    from sqlalchemy import select

    from kb.models import Contribution
    from kb.services.contributions.drafts import Draft

    url = "/pratiques/collectif-solution-uni-voisins/corriger"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    # resubmit the pre-filled form with one change, as a browser would
    from kb import storage

    with bundled_runtime.session(write=False) as session:
        record = storage.practice_record(storage.get_practice(session, "collectif-solution-uni-voisins"))
    draft = Draft.from_record(record, ["Médiation et lien social"])
    data = {"csrf_token": token, "title": record.title, "summary": record.summary + " Corrigé.",
            "themes": draft.themes, "new_themes": draft.new_themes, "landlord": draft.landlords,
            "partner_name": [p["name"] for p in draft.partners] or [""],
            "partner_role": [p["role"] for p in draft.partners] or [""],
            "cities": draft.cities, "districts": draft.districts, "audiences": draft.audiences,
            "status": draft.status, "started": draft.started, "ended": draft.ended,
            "evidence": draft.evidence, "contact": draft.contact, "inspired_by": draft.inspired_by,
            "source_title": [s["title"] for s in draft.sources],
            "source_url": [s["url"] for s in draft.sources],
            "source_date": [s["date"] for s in draft.sources],
            "source_publisher": [s["publisher"] for s in draft.sources],
            "body": draft.body, "name": "Lecteur", "email": "lecteur@exemple.fr", "licence": "oui",
            "change_note": "Résumé complété.", "action": "submit"}
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200, _page(response)[:2000]
    private_link(response)
    with bundled_runtime.session(write=False) as session:
        row = session.scalars(select(Contribution)).one()
    assert (row.kind, row.target_slug, row.status) == ("correction", "collectif-solution-uni-voisins",
                                                       "pending")


# -- spam and abuse ---------------------------------------------------------------

def test_a_post_without_csrf_token_is_refused_in_french(client, bundled_runtime):
    from sqlalchemy import func, select

    from kb.models import Contribution

    response = client.post("/contribuer", data=valid_form())
    assert response.status_code == 400
    page = _page(response)
    assert "expiré" in page and '<html lang="fr"' in page
    # the refused form comes back filled, with a fresh token: nothing typed is lost
    assert 'value="Jardins partagés des Hortensias"' in page and 'name="csrf_token"' in page
    with bundled_runtime.session(write=False) as session:
        assert session.scalar(select(func.count(Contribution.id))) == 0


def test_other_forms_without_csrf_token_get_a_french_400(client):
    response = client.post("/moderation/connexion", data={"email": "a@b.fr", "password": "x"})
    assert response.status_code == 400
    assert "Formulaire refusé" in _page(response)


def test_a_filled_honeypot_is_thanked_but_not_stored(client, bundled_runtime):
    from sqlalchemy import func, select

    from kb.models import Contribution

    response = post_form(client, website="http://spam.example")
    assert response.status_code == 200
    assert "Merci pour votre proposition" in _page(response)
    with bundled_runtime.session(write=False) as session:
        assert session.scalar(select(func.count(Contribution.id))) == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client):
    page = client.get("/contribuer").get_data(as_text=True)
    assert re.search(r'<div class="hp" hidden aria-hidden="true">\s*<label for="f-website">', page)
    assert re.search(r'<input type="text" id="f-website" name="website" value="" tabindex="-1"', page)


def test_the_sixth_contribution_in_an_hour_gets_429(client):
    for n in range(5):
        submit(client, title=f"Pratique de test numéro {n}", summary=f"Résumé {n}.")
    response = post_form(client, title="Une de trop", summary="Résumé.")
    # With the full bundled corpus the form may first show similar practices:
    # confirming past them is the submission that the limit must refuse.
    ack = re.search(r'name="similar_ack" value="([^"]*)"', _page(response))
    if ack:
        response = post_form(client, title="Une de trop", summary="Résumé.", similar_ack=ack.group(1))
    assert response.status_code == 429
    # Refused, and the form comes back with what was typed (nothing typed is lost).
    assert "trop d’envois" in _page(response) and 'value="Une de trop"' in _page(response)
    assert int(response.headers["Retry-After"]) > 0


def test_errors_and_previews_do_not_count_against_the_rate(client):
    for _ in range(6):
        assert post_form(client, title="").status_code == 422
        assert post_form(client, action="preview").status_code == 200
    submit(client)


def test_the_rate_is_configurable(bundled_runtime):
    from kb import create_app

    config = {"TESTING": True, "SECRET_KEY": "t", "CONTRIBUTION_RATE": "1/minute"}
    client = create_app(config, runtime=bundled_runtime).test_client()
    submit(client)
    assert post_form(client, title="Autre", summary="Autre.").status_code == 429


def test_an_oversized_post_gets_a_french_413(client):
    response = post_form(client, body="x" * 300_000)
    assert response.status_code == 413
    assert "volumineux" in _page(response)


def test_the_rate_limiter_is_per_app(bundled_runtime):
    """Two apps in one process never share (or stack) their limits."""
    from kb import create_app

    config = {"TESTING": True, "SECRET_KEY": "t", "CONTRIBUTION_RATE": "1/hour"}
    first = create_app(config, runtime=bundled_runtime).test_client()
    second = create_app(config, runtime=bundled_runtime).test_client()
    submit(first)
    submit(second, title="Une autre pratique", summary="Autre résumé.")


def test_the_practice_page_links_to_correction_and_history(client):
    page = client.get("/pratiques/collectif-solution-uni-voisins").get_data(as_text=True)
    assert 'href="/pratiques/collectif-solution-uni-voisins/corriger">Proposer une correction' in page
    assert 'href="/pratiques/collectif-solution-uni-voisins/historique">Historique' in page
    assert 'href="/contribuer"' in page  # in the site's navigation


def test_the_navigation_marks_the_contribution_page_current(client):
    page = client.get("/contribuer").get_data(as_text=True)
    assert '<a href="/contribuer" aria-current="page">Contribuer</a>' in page


def test_an_amendment_without_csrf_token_comes_back_filled(client):
    link = submit(client)
    data = valid_form(title="Titre modifié mais jeton perdu")
    response = client.post(link, data=data)
    assert response.status_code == 400
    page = _page(response)
    assert 'value="Titre modifié mais jeton perdu"' in page and "avait expiré" in page
    assert 'value="Jardins partagés des Hortensias"' in _page(client.get(link))  # unchanged


def test_a_draft_keeps_everything_typed_and_is_sent_later_from_its_private_link(
        client, bundled_runtime, outbox):
    from sqlalchemy import func, select

    from kb.models import Contribution

    # Incomplete (no city, no licence) and still saved, exactly as typed.
    saved = post_form(client, action="save", cities="", licence="", started="vers 2022")
    assert saved.status_code == 200
    link = private_link(saved)
    assert "Brouillon enregistré" in _page(saved)
    assert any(link in f.read_text(encoding="utf-8").replace("=\n", "")
               for f in outbox.glob("*.eml"))  # the link is mailed too
    with bundled_runtime.session(write=False) as session:
        assert session.scalar(select(Contribution.status)) == "draft"
    page = _page(client.get(link))
    assert 'value="vers 2022"' in page and "Recréer du lien" in page
    # A draft is not in the moderation queue.
    from kb.services.moderation import find_queue

    with bundled_runtime.session(write=False) as session:
        assert find_queue(session) == []
    # Sent from its link once complete: it joins the queue, nothing new is created.
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent = client.post(link, data=valid_form(csrf_token=token, started="09/2022", similar_ack=""),
                       follow_redirects=True)
    if "Merci pour votre proposition" not in _page(sent):
        ack = re.search(r'name="similar_ack" value="([^"]*)"', _page(sent)).group(1)
        sent = client.post(link, data=valid_form(csrf_token=token, started="09/2022",
                                                 similar_ack=ack), follow_redirects=True)
    assert "Merci pour votre proposition" in _page(sent)
    with bundled_runtime.session(write=False) as session:
        assert session.scalar(select(func.count(Contribution.id))) == 1
        row = session.scalars(select(Contribution)).one()
        assert row.status == "pending" and '"started": "2022-09"' in row.record
