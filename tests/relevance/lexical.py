"""Judged queries of the lexical kinds, over the bundled corpus (``practices/``).

Written for issue 23 in our own words, the way someone types who slips on a key
or uses a word no write-up has; judged from the write-ups' titles and summaries
before looking at what the engine returns. Each entry: (kind, query, {slug: grade}),
grade 2 = the answer, 1 = also relevant. Kinds (subsets of ``test_relevance.SUBSETS``):

- ``typo-fr``: a French word misspelt into no word of any language;
- ``typo-other``: a name of the field (a landlord, an association) misspelt;
- ``nowhere``: one word that no practice holds, next to words that some do;
- ``partial``: words that no practice holds all together;
- ``agent-action``: the agent typed where practices write the action, or the reverse.
"""

from __future__ import annotations

MEDIATION = {"semsamar-pole-mediation-sociale": 2,
             "val-touraine-habitat-pole-mediation-tranquillite": 2,
             "lmh-tranquillite-agents-de-mediation": 2, "optima-mediateurs-de-nuit-rennes": 2,
             # sheets added for issue 28
             "altm-lyon-mediation-sociale": 2, "angers-mediation-de-nuit-optima": 2,
             "vandoeuvre-les-nancy-mediateurs-de-nuit-avms": 2,
             "saint-denis-mediation-nocturne-centre-ville": 2,
             "nanterre-mediateurs-de-nuit-ville-bailleurs": 2,
             "nantes-mediateurs-de-quartier-optima-bailleurs": 2,
             "chambery-metropole-correspondants-de-nuit-regie-plus": 2,
             "cholet-habitat-correspondants-de-nuit-regie-actif": 2,
             "le-mans-bailleurs-marche-commun-tranquillite-mediaction": 1}
NIGHT = {"optima-mediateurs-de-nuit-rennes": 2, "angers-mediation-de-nuit-optima": 2,
         "vandoeuvre-les-nancy-mediateurs-de-nuit-avms": 2,
         "saint-denis-mediation-nocturne-centre-ville": 2,
         "nanterre-mediateurs-de-nuit-ville-bailleurs": 2,
         "chambery-metropole-correspondants-de-nuit-regie-plus": 2,
         "cholet-habitat-correspondants-de-nuit-regie-actif": 2,
         "nantes-mediateurs-de-quartier-optima-bailleurs": 1,
         "lmh-tranquillite-agents-de-mediation": 1,
         "val-touraine-habitat-pole-mediation-tranquillite": 1,
         "semsamar-pole-mediation-sociale": 1}
MENTAL_HOUSING = {"plaine-commune-habitat-logement-sante-mentale": 2,
                  "protocole-sante-mentale-logement-paris-2018": 2,
                  "reseaux-sante-mentale-logement-marseille": 2,
                  "grand-lyon-guide-sante-mentale-logement": 2,
                  "aiguillon-protocole-sante-mentale": 1,
                  "lille-metropole-guide-habitat-sante-mentale": 2,
                  "aorif-val-de-marne-sante-mentale-logement-social": 1,
                  "toit-et-joie-aurore-equipe-mobile-psychologues": 1,
                  "equipes-liaison-habitat-soins-eliahs-paris": 1}
REGIES = {"cnlrq-reseau-regies-de-quartier": 2, "regie-de-quartier-blanc-mesnil": 2,
          "regie-de-quartier-noailles-belsunce-marseille": 2,
          "regie-de-quartier-reynerie-services-toulouse": 2}
HALLS = {"nantes-cartographie-interbailleurs-des-halls": 2,
         "seine-ouest-habitat-chantier-insertion-halls-meudon": 2,
         "sacoviv-chantier-jeunes-residence-le-couloud-venissieux": 1,
         "oph-93-diagnostic-tranquillite-occupation-des-halls": 2,
         "cdc-habitat-sud-ouest-videosurveillance-residences": 1}

LEXICAL = [
    # A French word with a slip that makes it no word at all.
    ("typo-fr", "mediatoin sociale", {"semsamar-pole-mediation-sociale": 2,
                                      "altm-lyon-mediation-sociale": 2,
                                      "val-touraine-habitat-pole-mediation-tranquillite": 1,
                                      "lmh-tranquillite-agents-de-mediation": 1,
                                      "optima-mediateurs-de-nuit-rennes": 1,
                                      "angers-mediation-de-nuit-optima": 1,
                                      "vandoeuvre-les-nancy-mediateurs-de-nuit-avms": 1,
                                      "saint-denis-mediation-nocturne-centre-ville": 1}),
    ("typo-fr", "santé mantale logement", MENTAL_HOUSING),
    ("typo-fr", "expulsoins locatives", {
        "adil-44-mission-experimentale-prevention-expulsions": 2,
        "paris-equipes-mobiles-prevention-expulsions": 2,
        "emmaus-habitat-solidarite-saumur-prevention-expulsions": 1,
        "fondation-abbe-pierre-allo-prevention-expulsion": 1,
        "rlf-prevention-des-expulsions-conseillere-sociale": 1,
        "paris-equipe-departementale-logement-charte-prevention-expulsions": 1,
        "adil-paris-mission-commandements-de-payer": 1}),
    ("typo-fr", "chantiers éducatfs", {"paris-habitat-chantiers-educatifs": 2,
                                       "clairsienne-eysines-chantiers-educatifs-argent-de-poche": 2}),
    ("typo-fr", "précarité énergétiqe", {"valloire-habitat-edf-precarite-energetique": 2,
                                          "cdc-habitat-villiers-le-bel-ateliers-ecogestes": 1}),
    ("typo-fr", "régies de quartiré", REGIES),
    ("typo-fr", "cartograhie halls", {"nantes-cartographie-interbailleurs-des-halls": 2}),
    # Names of the field, misspelt.
    ("typo-other", "Grajr", {"club-de-prevention-grajar-paris-habitat": 2}),
    ("typo-other", "Eliahz", {"equipes-liaison-habitat-soins-eliahs-paris": 2}),
    ("typo-other", "Sacovif", {"sacoviv-chantier-jeunes-residence-le-couloud-venissieux": 2}),
    ("typo-other", "Macoura incivilités", {"macouria-rappel-a-l-ordre-locataires-soula": 2}),
    ("typo-other", "Semsamr", {"semsamar-pole-mediation-sociale": 2}),
    ("typo-other", "Logirm", {"logirem-situations-extraordinaires-logements-ordinaires": 2}),
    # One word found nowhere: the others still answer.
    ("nowhere", "barbecues halls", HALLS),
    ("nowhere", "trottinettes médiation de nuit", NIGHT),
    ("nowhere", "drones surveillance", {
        "groupement-parisien-interbailleurs-de-surveillance": 2,
        "gardes-particuliers-assermentes-paris-habitat": 1}),
    ("nowhere", "skateparks régie de quartier", REGIES),
    # Words that no practice holds all together.
    ("partial", "médiation de nuit", NIGHT),
    ("partial", "équipes mobiles santé mentale expulsion", {
        "paris-equipes-mobiles-prevention-expulsions": 2,
        "equipes-liaison-habitat-soins-eliahs-paris": 2,
        "aiguillon-protocole-sante-mentale": 1,
        "toit-et-joie-aurore-equipe-mobile-psychologues": 1}),
    ("partial", "chantier jeunes repeindre halls résidence", {
        "sacoviv-chantier-jeunes-residence-le-couloud-venissieux": 2,
        "chantier-jeunes-residence-hernani-rouen": 1,
        "seine-ouest-habitat-chantier-insertion-halls-meudon": 1}),
    ("partial", "permanences accès aux droits non-recours", {
        "paris-habitat-vos-droits-en-direct": 2,
        "venissieux-territoire-zero-non-recours-moulin-a-vent": 2}),
    # Agent and action.
    ("agent-action", "médiateurs", MEDIATION),
    ("agent-action", "médiatrices sociales", {"semsamar-pole-mediation-sociale": 2,
                                              "optima-mediateurs-de-nuit-rennes": 1,
                                              "val-touraine-habitat-pole-mediation-tranquillite": 1,
                                              "lmh-tranquillite-agents-de-mediation": 1}),
    ("agent-action", "formateurs gardiens d'immeubles", {
        "reunion-formation-gardiens-immeubles-semader-sidr-shlmr": 2}),
    ("agent-action", "médiation de nuit rennes", {"optima-mediateurs-de-nuit-rennes": 2}),
]

# The same kinds over the SYNTHETIC corpus (tests/relevance/synthetic_corpus.py).
LEXICAL_SYNTHETIC = [
    ("agent-action", "inspecteurs des parties communes", {"visites-parties-communes": 2}),
    ("agent-action", "conciliation entre voisins", {"conciliation-voisinage": 2}),
    ("agent-action", "conciliateurs", {"conciliation-voisinage": 2}),
    ("agent-action", "animation pour les enfants", {"animateurs-pied-immeuble": 2,
                                                    "colocation-solidaire-etudiants": 1}),
    ("typo-fr", "punaizes de lit", {"punaises-de-lit": 2}),
    ("typo-fr", "conflits de voisinnage conciliatoin", {"conciliation-voisinage": 2}),
    ("nowhere", "trottinettes animateurs", {"animateurs-pied-immeuble": 2}),
    ("partial", "inspection halls ascenseurs caméras", {"visites-parties-communes": 2}),
]

# Words of these queries that no bundled practice holds in any form.
NOWHERE_WORDS = {"barbecues halls": ["barbecues"], "trottinettes médiation de nuit": ["trottinettes"],
                 "drones surveillance": ["drones"], "skateparks régie de quartier": ["skateparks"]}
