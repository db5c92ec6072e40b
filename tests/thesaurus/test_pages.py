"""/thesaurus, proposals and moderation (CSRF everywhere), and the search page's banner."""

from __future__ import annotations

import html
import re

from tests.contribute.support import csrf_token, mod_post
from tests.web.helpers import page


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _banner(response) -> str:
    """The text of the "Recherche élargie à" notice of a search page, or ""."""
    found = re.search(r'<p class="notice notice--expanded" role="status">(.*?)</p>', _text(response),
                      re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def _groups(runtime) -> dict[str, tuple[str, ...]]:
    from kb import storage

    with runtime.session(write=False) as session:
        return {r.label: r.terms for r in storage.registry_thesaurus(session)}


def test_the_thesaurus_page_lists_every_group_with_an_anchor_and_its_source(client, bundled_runtime):
    response = client.get("/thesaurus")
    assert response.status_code == 200
    doc = page(response)
    assert doc.h1() == ["Thésaurus du logement social"]
    ids = [attrs["id"] for tag, attrs in doc.tags if tag == "dt"]
    assert len(ids) == len(_groups(bundled_runtime)) >= 150 and len(set(ids)) == len(ids)
    assert "t-impaye-de-loyer" in ids
    text = _text(response)
    assert "dette locative, arriéré de loyer" in text
    assert "https://precarite-energie.org/loi-no-2010-788-du-12-juillet-2010" in text
    assert ("/thesaurus/proposer", "Proposer un groupe de termes ou une correction") in doc.links
    assert ("/thesaurus", "Thésaurus") in page(client.get("/")).links
    english = page(client.get("/thesaurus?lang=en"))
    assert english.h1() == ["Social housing thesaurus"]


def test_a_proposal_waits_for_a_moderator_and_keeps_what_was_typed_on_errors(client, bundled_runtime):
    token = csrf_token(client, "/thesaurus/proposer")
    assert client.post("/thesaurus/proposer", data={"terms": "a\nb"}).status_code == 400  # no CSRF
    bad = client.post("/thesaurus/proposer", data={
        "csrf_token": token, "terms": "bail glissant", "narrower": "", "source_url": "ftp://x"})
    assert bad.status_code == 400
    text = _text(bad)
    assert "au moins deux termes équivalents" in text and "http:// ou https://" in text
    assert "bail glissant" in text
    good = client.post("/thesaurus/proposer", data={
        "csrf_token": token, "terms": "bail glissant\nsous-location avec glissement du bail"})
    assert good.status_code == 303 and good.headers["Location"] == "/thesaurus"
    assert "relue par un modérateur" in _text(client.get("/thesaurus"))
    assert "bail glissant" not in _groups(bundled_runtime)


def test_moderation_of_the_thesaurus_requires_a_login(client):
    response = client.get("/moderation/thesaurus")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/moderation/connexion")
    assert client.post("/moderation/thesaurus/ajouter").status_code in (302, 400)


def test_a_moderator_adds_edits_and_removes_groups_and_the_search_follows(
        client, mod_client, bundled_runtime):
    listing = mod_client.get("/moderation/thesaurus")
    assert listing.status_code == 200 and listing.headers["Cache-Control"] == "no-store"
    terms = "rapprochement synthétique\népithalame locatif"
    assert mod_client.post("/moderation/thesaurus/ajouter", data={"terms": terms}).status_code == 400
    taken = mod_post(mod_client, "/moderation/thesaurus/ajouter", terms="dette locative\nautre")
    assert taken.status_code == 400
    assert "déjà dans le groupe « impayé de loyer »" in _text(taken)
    # No practice says "épithalame": the search finds nothing, then what the group widens to.
    assert _banner(client.get("/recherche?q=épithalame+locatif")) == ""
    added = mod_post(mod_client, "/moderation/thesaurus/ajouter",
                     terms="épithalame locatif\ndette locative bis", narrower="commandement de payer")
    assert added.status_code == 303
    assert _groups(bundled_runtime)["épithalame locatif"] == ("épithalame locatif",
                                                               "dette locative bis")
    found = client.get("/recherche?q=épithalame+locatif")
    assert _banner(found).startswith("Recherche élargie à : commandement de payer")
    assert "adil-paris-mission-commandements-de-payer" in _text(found)

    group_id = int(re.search(r"/moderation/thesaurus/(\d+)/modifier",
                             _text(mod_client.get("/moderation/thesaurus"))
                             .split("épithalame locatif</a>")[1]).group(1))
    edit_page = _text(mod_client.get(f"/moderation/thesaurus/{group_id}/modifier"))
    assert "épithalame locatif\ndette locative bis" in edit_page
    edited = mod_post(mod_client, f"/moderation/thesaurus/{group_id}/modifier",
                      terms="épithalame locatif\ndette locative ter")
    assert edited.status_code == 303
    assert _groups(bundled_runtime)["épithalame locatif"][1] == "dette locative ter"
    assert _banner(client.get("/recherche?q=épithalame+locatif")) == ""

    assert mod_post(mod_client, f"/moderation/thesaurus/{group_id}/supprimer").status_code == 303
    assert "épithalame locatif" not in _groups(bundled_runtime)
    assert mod_post(mod_client, f"/moderation/thesaurus/{group_id}/supprimer").status_code == 404
    journal = _text(mod_client.get("/moderation/journal"))
    for action in ("thesaurus-add", "thesaurus-edit", "thesaurus-remove"):
        assert action in journal


def test_a_moderator_publishes_or_refuses_proposals(client, mod_client, bundled_runtime):
    token = csrf_token(client, "/thesaurus/proposer")
    for terms in ("bail glissant\nsous-location avec glissement du bail",
                  "colocation solidaire\nkolocation", "impayé\nsynthétique"):
        assert client.post("/thesaurus/proposer", data={
            "csrf_token": token, "terms": terms}).status_code == 303
    listing = _text(mod_client.get("/moderation/thesaurus"))
    ids = [int(i) for i in re.findall(r"/propositions/(\d+)/accepter", listing)]
    assert len(ids) == 3 and "kolocation" in listing
    accept = f"/moderation/thesaurus/propositions/{ids[0]}/accepter"
    assert mod_client.post(accept).status_code == 400  # no CSRF token
    assert mod_post(mod_client, accept).status_code == 303
    assert mod_post(mod_client, f"/moderation/thesaurus/propositions/{ids[1]}/refuser"
                    ).status_code == 303
    # "impayé" is already equivalent in another group: the proposal stays, said why.
    clash = mod_post(mod_client, f"/moderation/thesaurus/propositions/{ids[2]}/accepter")
    assert clash.status_code == 303
    after = _text(mod_client.get("/moderation/thesaurus"))
    assert "Proposition non publiée" in after and "« impayé de loyer »" in after
    groups = _groups(bundled_runtime)
    assert groups["bail glissant"] == ("bail glissant", "sous-location avec glissement du bail")
    assert "colocation solidaire" not in groups and "impayé" not in groups
    assert mod_post(mod_client, f"/moderation/thesaurus/propositions/{ids[1]}/refuser"
                    ).status_code == 404
    journal = _text(mod_client.get("/moderation/journal"))
    assert "thesaurus-accept" in journal and "thesaurus-refuse" in journal


def test_the_search_page_says_what_the_search_was_widened_to_in_french_and_english(client):
    response = client.get("/recherche?q=arriérés+de+loyer")
    text = _text(response)
    assert _banner(response).startswith("Recherche élargie à : impayé de loyer")
    # The claim is true: a result holds the widened term, and it is marked in its snippet.
    assert "<mark>impayé" in text.lower() or "<mark>impayés" in text.lower()
    english = _text(client.get("/recherche?q=arriérés+de+loyer&lang=en"))
    assert "Search widened to:" in english and '<span lang="fr">impayé de loyer</span>' in english
    # A word typed as the write-ups write it is not announced as widened to itself.
    assert "impayé de loyer," not in _banner(client.get("/recherche?q=impayé+de+loyer"))


def test_the_api_and_the_command_line_gain_expanded_and_keep_every_other_key(client, runner):
    data = client.get("/api/v1/search?q=arriérés+de+loyer").get_json()
    assert {"total", "results", "facets", "suggestion", "partial", "missing_terms",
            "expanded"} <= set(data)
    assert "impayé de loyer" in data["expanded"] and data["total"] > 0
    assert client.get("/api/v1/search?q=jardin").get_json()["expanded"] == []
