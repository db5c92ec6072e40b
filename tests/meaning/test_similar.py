""""Pratiques proches" and the contribution form's duplicate hint, by meaning.

The duplicate threshold is calibrated here: rewordings of real sheets (what a
second contributor sends for a practice already published) are above it; new
practices that only share a place name with a sheet ("Grand Lyon", "Rennes")
are below it.
"""

from __future__ import annotations

from sqlalchemy import select

from kb.models import Practice
from kb.services import hybrid, meaning
from kb.services.contributions.submissions import find_similar

# (title, summary, the sheet it re-describes), in other words than the sheet's.
NEAR_DUPLICATES = [
    ("Une équipe mobile pour la tranquillité des résidences 3F",
     "Quand on lui signale un souci de tranquillité, 3F envoie quelque temps une équipe sur "
     "place pour garder la gestion de proximité et le contact direct avec les locataires.",
     "equipe-mobile-tranquillite-residentielle-3f"),
    ("Médiateurs nocturnes dans les quartiers HLM de Rennes",
     "Depuis 1994, des médiateurs de nuit de l’association Optima écoutent, orientent les "
     "habitants et préviennent les conflits dans quatre quartiers rennais, en binôme.",
     "optima-mediateurs-de-nuit-rennes"),
    ("Guide santé mentale et logement pour les gardiens lyonnais",
     "Un guide, publié en 2006 pour les bailleurs du Grand Lyon, aide les gardiens et agents à "
     "repérer les troubles de santé mentale et à savoir à qui s’adresser.",
     "grand-lyon-guide-sante-mentale-logement"),
]
# New practices sharing only a place with a published sheet.
PLACE_ONLY = [
    ("Végétaliser les pieds d’immeuble dans le Grand Lyon",
     "Des locataires du Grand Lyon plantent et entretiennent des jardins partagés au pied de "
     "leurs résidences avec leur bailleur."),
    ("Rénovation thermique des résidences du Grand Lyon",
     "Un bailleur du Grand Lyon isole les façades de ses résidences pour réduire les charges "
     "de chauffage."),
    ("Un atelier vélo solidaire à Rennes",
     "À Rennes, des habitants réparent ensemble leurs vélos dans un local prêté par le bailleur."),
]


def test_duplicate_threshold_separates_rewordings_from_shared_place_names(bundled):
    with bundled.session(write=False) as session:
        for title, summary, slug in NEAR_DUPLICATES:
            held, scores = meaning.text_similarities(session, title, summary)
            # thin: the closest two distinct published sheets (two senior call programmes)
            # score 0.67, a rewording of the 3F sheet 0.68
            assert scores[held.position(slug)] >= hybrid.DUPLICATE_MIN, slug
            found = find_similar(bundled.index, title, summary, session=session)
            assert found[0].slug == slug
        for title, summary in PLACE_ONLY:
            held, scores = meaning.text_similarities(session, title, summary)
            assert scores.max() < hybrid.DUPLICATE_MIN - 0.1, title
            assert find_similar(bundled.index, title, summary, session=session) == []
        # Two published sheets of one city, different practices: below it too.
        night = session.execute(select(Practice.title, Practice.summary).where(
            Practice.slug == "optima-mediateurs-de-nuit-rennes")).one()
        held, scores = meaning.text_similarities(session, *night)
        assert scores[held.position("compagnons-batisseurs-rennes-auto-rehabilitation")] < \
            hybrid.DUPLICATE_MIN


def test_the_hint_excludes_the_sheet_being_corrected(bundled):
    title, summary, slug = NEAR_DUPLICATES[0]
    with bundled.session(write=False) as session:
        found = find_similar(bundled.index, title, summary, exclude=slug, session=session)
    assert slug not in {h.slug for h in found}


def test_related_practices_of_the_mobile_tranquillity_team_are_about_tranquillity(client, bundled):
    from kb.services.search import related_practices

    with bundled.session(write=False) as session:
        related = related_practices(session, bundled.index,
                                    "equipe-mobile-tranquillite-residentielle-3f", 5)
        slugs = [h.slug for h in related]
        themes = dict(zip(meaning.practices(session).slugs, meaning.practices(session).themes,
                          strict=True))
    assert len(slugs) == 5
    calm = {"tranquillite-residentielle", "mediation-et-lien-social"}
    assert sum(1 for s in slugs if themes[s] & calm) >= 4, slugs
    assert not any("expulsion" in s for s in slugs), slugs
    page = client.get("/pratiques/equipe-mobile-tranquillite-residentielle-3f").get_data(
        as_text=True)
    section = page.split('id="related-title"', 1)[1]
    assert all(f"/pratiques/{s}" in section for s in slugs[:4])  # the sheet shows four
