"""Pending contributions are never public; contributors' names and e-mails never leave kb."""

from __future__ import annotations

import pytest

from .support import EMAIL, NAME, mod_post, pending_id, submit

# What only the pending contribution contains (title, slug, landlord, partner, city label);
# searches may echo the words typed, never these.
SECRET_WORDS = ["Jardins partagés", "jardins-partages", "Office Hortensias", "Racines",
                "Montreuil-sur-Loire", "tensions entre voisins"]
PUBLIC_URLS = [
    "/", "/recherche", "/recherche?q=Hortensias", "/recherche?q=jardinage",
    "/recherche?city=montreuil-sur-loire", "/api/v1/search?q=Hortensias", "/api/v1/search",
    "/api/v1/practices", "/api/v1/practices?q=jardinage", "/api/v1/facets", "/recherche.csv",
    "/recherche.csv?q=Hortensias", "/flux.atom", "/sitemap.xml", "/themes", "/villes",
    "/bailleurs", "/themes/mediation-et-lien-social", "/themes/mediation-et-lien-social.atom",
    "/panorama",
]
PENDING_URLS = [
    "/pratiques/jardins-partages-des-hortensias", "/api/v1/practices/jardins-partages-des-hortensias",
    "/villes/montreuil-sur-loire", "/bailleurs/office-hortensias-habitat",
    "/pratiques/jardins-partages-des-hortensias/historique",
]


@pytest.fixture
def pending(client):
    return submit(client)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_pending_contribution_is_in_no_public_listing(pending, client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.get_data(as_text=True)
    for word in SECRET_WORDS + [EMAIL, NAME]:
        assert word not in body, (url, word)


@pytest.mark.parametrize("url", PENDING_URLS)
def test_a_pending_contribution_has_no_public_page(pending, client, url):
    assert client.get(url).status_code == 404


def test_the_search_index_never_holds_a_pending_contribution(pending, bundled_runtime):
    from kb.services.search import search_practices

    with bundled_runtime.session(write=False) as session:
        assert search_practices(session, bundled_runtime.index, "Hortensias").total == 0
        assert search_practices(session, bundled_runtime.index, "jardinage").total == 0
    assert bundled_runtime.index.suggest_similar("Jardins partagés des Hortensias", "") == [] or all(
        "hortensias" not in h.slug for h in bundled_runtime.index.suggest_similar(
            "Jardins partagés des Hortensias", ""))


@pytest.fixture
def published(client, mod_client, bundled_runtime):
    submit(client)
    number = pending_id(bundled_runtime)
    assert mod_post(mod_client, f"/moderation/{number}/publier").status_code == 303
    return "jardins-partages-des-hortensias"


def test_the_contributor_identity_is_in_no_public_response(published, client):
    slug = published
    urls = PUBLIC_URLS + [
        f"/pratiques/{slug}", f"/pratiques/{slug}/historique", f"/api/v1/practices/{slug}",
        "/villes/montreuil-sur-loire", "/bailleurs/office-hortensias-habitat",
        "/villes/montreuil-sur-loire.atom", "/contribuer", f"/pratiques/{slug}/corriger",
    ]
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        seen += "Hortensias" in body
        assert EMAIL not in body and NAME not in body, url
        assert "claire.martin" not in body.lower(), url
    assert seen >= 8  # the practice itself is public now


def test_kb_export_writes_no_contributor_identity(published, runner, tmp_path):
    out = tmp_path / "export"
    result = runner("export", str(out))
    assert result.exit_code == 0, result.output
    text = (out / f"{published}.md").read_text(encoding="utf-8")
    assert "Jardins partagés des Hortensias" in text
    for path in out.rglob("*"):
        if path.is_file():
            content = path.read_text(encoding="utf-8")
            assert EMAIL not in content and NAME not in content, path


def test_forget_contributor_erases_them_from_submissions_and_revisions(published, runner,
                                                                        bundled_runtime):
    from sqlalchemy import or_, select

    from kb.models import Contribution, Revision

    result = runner("forget-contributor", EMAIL.upper())
    assert result.exit_code == 0
    assert "2 enregistrement(s) modifié(s)" in result.output  # the submission and its revision
    with bundled_runtime.session(write=False) as session:
        for model in (Contribution, Revision):
            assert session.scalars(select(model).where(or_(
                model.contributor_email.is_not(None), model.contributor_name.is_not(None)))).first() \
                is None
        assert "Hortensias" in session.scalars(select(Revision.snapshot)).one()  # content kept
    assert "0 enregistrement(s) modifié(s)" in runner("forget-contributor", EMAIL).output
