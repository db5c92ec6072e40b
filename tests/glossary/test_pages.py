"""/glossaire, abbreviations on practice pages, proposals and moderation (CSRF everywhere)."""

from __future__ import annotations

import html
import re

from tests.contribute.support import csrf_token, login, mod_post
from tests.web.helpers import page

GPIS = "/pratiques/groupement-parisien-interbailleurs-de-surveillance"
GPIS_ABBR = ('<a class="glossary-term" href="/glossaire#GPIS">'
             '<abbr title="Groupement parisien interbailleurs de surveillance">GPIS</abbr></a>')


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _pairs(runtime) -> dict[str, str]:
    from kb.services.glossary import glossary_pairs

    with runtime.session(write=False) as session:
        return dict(glossary_pairs(session))


def test_the_glossary_lists_terms_alphabetically_with_an_anchor_each(client):
    response = client.get("/glossaire")
    assert response.status_code == 200
    doc = page(response)
    assert doc.h1() == ["Glossaire des sigles"]
    ids = [attrs["id"] for tag, attrs in doc.tags if tag == "dt"]
    assert ids == sorted(ids) and {"QPV", "CMP", "GUP", "CCAPEX", "NPNRU"} <= set(ids)
    text = _text(response)
    assert '<dt id="CMP"><abbr title="centre médico-psychologique">CMP</abbr></dt>' in text
    assert "https://anru.fr/fre/Programmes/Nouveau-Programme-National-de-Renouvellement-Urbain" in text
    assert ("#lettre-Q", "Q") in doc.links and ("/glossaire/proposer",
                                                "Proposer un sigle ou une correction") in doc.links
    assert ("/glossaire", "Glossaire des sigles") in page(client.get("/")).links


def test_in_english_the_page_is_english_and_the_expansions_are_marked_french(client):
    response = client.get("/glossaire?lang=en")
    doc = page(response)
    assert doc.find("html", lang="en") and doc.h1() == ["Glossary of acronyms"]
    text = _text(response)
    assert '<abbr title="centre médico-psychologique" lang="fr">CMP</abbr>' in text
    assert '<strong lang="fr">centre médico-psychologique</strong>' in text


def test_a_practice_page_marks_its_acronyms_once_linked_to_the_glossary(client):
    response = client.get(GPIS)
    text = response.get_data(as_text=True)
    assert text.count(GPIS_ABBR) == 1
    assert 'href="/glossaire#USH"' not in text.split("</h1>")[0]
    # The CSP is untouched: no inline script or style came with the marks.
    assert "script-src" not in response.headers["Content-Security-Policy"] or \
        "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "<script>" not in text and " style=" not in text
    # The summary comes first on the page: it carries the mark, the body does not repeat it.
    lead = text[text.index('<p class="lead"'):]
    assert lead.index(GPIS_ABBR) < lead.index("</p>")
    # In English the summary keeps lang="fr", so the French expansion is announced as French.
    english = client.get(f"{GPIS}?lang=en").get_data(as_text=True)
    assert '<p class="lead" lang="fr">Créé en 2004' in english
    assert english.count(GPIS_ABBR) == 1


def test_a_proposal_waits_for_a_moderator_and_keeps_what_was_typed_on_errors(client, bundled_runtime):
    token = csrf_token(client, "/glossaire/proposer")
    refused = client.post("/glossaire/proposer", data={"acronym": "PLAI", "expansion": "prêt locatif"})
    assert refused.status_code == 400  # no CSRF token
    bad = client.post("/glossaire/proposer", data={
        "csrf_token": token, "acronym": "PLAI", "expansion": "", "definition": "Texte gardé",
        "source_url": "ftp://x"})
    assert bad.status_code == 400
    text = _text(bad)
    assert "« expansion » est obligatoire" in text and "http:// ou https://" in text
    assert 'value="PLAI"' in text and "Texte gardé" in text
    good = client.post("/glossaire/proposer", data={
        "csrf_token": token, "acronym": "plai", "expansion": "prêt locatif aidé d’intégration",
        "definition": "Définition synthétique de test."})
    assert good.status_code == 303 and good.headers["Location"] == "/glossaire"
    assert "relue par un modérateur" in _text(client.get("/glossaire"))
    assert "PLAI" not in _pairs(bundled_runtime)
    assert 'id="PLAI"' not in client.get("/glossaire").get_data(as_text=True)


def test_moderation_of_the_glossary_requires_a_login(client):
    response = client.get("/moderation/glossaire")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/moderation/connexion")


def test_a_moderator_adds_edits_and_removes_terms_with_csrf(client, mod_client, bundled_runtime):
    listing = mod_client.get("/moderation/glossaire")
    assert listing.status_code == 200 and listing.headers["Cache-Control"] == "no-store"
    no_token = mod_client.post("/moderation/glossaire/ajouter",
                               data={"acronym": "PLAI", "expansion": "prêt locatif aidé d’intégration"})
    assert no_token.status_code == 400 and "PLAI" not in _pairs(bundled_runtime)
    taken = mod_post(mod_client, "/moderation/glossaire/ajouter", acronym="QPV", expansion="autre")
    assert taken.status_code == 400 and "déjà dans le glossaire" in _text(taken)
    added = mod_post(mod_client, "/moderation/glossaire/ajouter", acronym="PLAI",
                     expansion="prêt locatif aidé d’intégration", definition="Synthétique.")
    assert added.status_code == 303
    assert _pairs(bundled_runtime)["PLAI"] == "prêt locatif aidé d’intégration"
    assert 'id="PLAI"' in client.get("/glossaire").get_data(as_text=True)

    edit_page = mod_client.get("/moderation/glossaire/GPIS/modifier")
    assert 'value="Groupement parisien interbailleurs de surveillance"' in _text(edit_page)
    edited = mod_post(mod_client, "/moderation/glossaire/GPIS/modifier", acronym="GPIS",
                      expansion="Groupement parisien inter-bailleurs de surveillance")
    assert edited.status_code == 303
    assert 'title="Groupement parisien inter-bailleurs de surveillance">GPIS' in \
        client.get(GPIS).get_data(as_text=True)

    removed = mod_post(mod_client, "/moderation/glossaire/GPIS/supprimer")
    assert removed.status_code == 303 and "GPIS" not in _pairs(bundled_runtime)
    assert "glossaire#GPIS" not in client.get(GPIS).get_data(as_text=True)
    assert mod_post(mod_client, "/moderation/glossaire/GPIS/supprimer").status_code == 404
    journal = _text(mod_client.get("/moderation/journal"))
    for action in ("glossary-add", "glossary-edit", "glossary-remove"):
        assert action in journal


def test_a_moderator_publishes_or_refuses_proposals(client, mod_client, bundled_runtime):
    token = csrf_token(client, "/glossaire/proposer")
    for acronym, expansion in (("PLAI", "prêt locatif aidé d’intégration"),
                               ("PLS", "prêt locatif social")):
        assert client.post("/glossaire/proposer", data={
            "csrf_token": token, "acronym": acronym, "expansion": expansion}).status_code == 303
    listing = _text(mod_client.get("/moderation/glossaire"))
    ids = [int(i) for i in re.findall(r"/propositions/(\d+)/accepter", listing)]
    assert len(ids) == 2 and "prêt locatif social" in listing
    assert mod_client.post(f"/moderation/glossaire/propositions/{ids[0]}/accepter").status_code == 400
    assert mod_post(mod_client, f"/moderation/glossaire/propositions/{ids[0]}/accepter").status_code == 303
    assert mod_post(mod_client, f"/moderation/glossaire/propositions/{ids[1]}/refuser").status_code == 303
    pairs = _pairs(bundled_runtime)
    assert pairs["PLAI"] == "prêt locatif aidé d’intégration" and "PLS" not in pairs
    assert "Aucune proposition en attente." in _text(mod_client.get("/moderation/glossaire"))
    assert mod_post(mod_client, f"/moderation/glossaire/propositions/{ids[1]}/refuser").status_code == 404


def test_glossary_pairs_feed_the_search_expansion(bundled_runtime):
    from kb.services.glossary import glossary_pairs

    with bundled_runtime.session(write=False) as session:
        pairs = glossary_pairs(session)
    assert all(isinstance(a, str) and isinstance(e, str) for a, e in pairs)
    assert ("GUP", "gestion urbaine de proximité") in pairs
    assert [a for a, _ in pairs] == sorted(a for a, _ in pairs)


def test_a_logged_out_moderator_cannot_reach_the_forms(client, moderator):
    assert login(client, moderator[1], "mauvais").status_code == 401
    assert client.post("/moderation/glossaire/ajouter").status_code in (302, 400)


OWN_FILES = ["kb/web/glossary.py", "kb/web/search_log.py", "templates/glossary/index.html",
             "templates/glossary/_term_form.html", "templates/glossary/propose.html",
             "templates/glossary/edit.html", "templates/glossary/moderation.html",
             "templates/moderation/searches.html"]


def test_every_glossary_and_search_log_message_has_an_english_translation():
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
    from babel.messages.pofile import read_po

    from kb.config import ROOT
    from kb.web.i18n import TRANSLATIONS

    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        translated = {(m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle)
                      if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple)
                                                   else m.string)}
    needed = set()
    for name in OWN_FILES:
        method = "jinja2" if name.endswith(".html") else "python"
        for _line, message, _c, _ctx in extract_from_file(method, str(ROOT / name),
                                                          keywords={**DEFAULT_KEYWORDS, "_l": None}):
            needed.add(message if isinstance(message, str) else message[0])
    assert len(needed) > 40 and not needed - translated


def test_a_summary_is_escaped_before_its_acronyms_are_marked(bundled_runtime):
    from kb.services.glossary import mark_practice

    with bundled_runtime.session(write=False) as session:
        summary, body = mark_practice(session, "<script>x</script> Un QPV & un CMP.",
                                      "<p>Le QPV et le CMP, puis le SIAO.</p>")
    assert str(summary).startswith("&lt;script&gt;x&lt;/script&gt; Un <a class=\"glossary-term\"")
    assert "&amp; un <a" in summary and "<script>" not in summary
    assert body == ('<p>Le QPV et le CMP, puis le <a class="glossary-term" href="/glossaire#SIAO">'
                    '<abbr title="service intégré d’accueil et d’orientation">SIAO</abbr></a>.</p>')
