"""Paraphrase and outcome queries over the bundled corpus, for the meaning layer.

Written in other words than the write-ups (judged by reading them first): a
query shares no index term with its grade-2 answers, which
``tests/relevance/test_meaning_relevance.py`` checks, so the lexical engine alone
cannot find them. Grade 2 = the answer a colleague would hand over, 1 = also fits.
"""

from __future__ import annotations

EXPULSIONS = ("adil-44-mission-experimentale-prevention-expulsions",
              "adil-paris-mission-commandements-de-payer",
              "emmaus-habitat-solidarite-saumur-prevention-expulsions",
              "fondation-abbe-pierre-allo-prevention-expulsion",
              "paris-equipe-departementale-logement-charte-prevention-expulsions",
              "paris-equipes-mobiles-prevention-expulsions",
              "rlf-prevention-des-expulsions-conseillere-sociale")

PARAPHRASE = [
    ("empêcher qu'un foyer endetté perde son appartement",
     {**{s: 2 for s in EXPULSIONS}, "aiguillon-protocole-sante-mentale": 1}),
    ("payer moins cher pour se réchauffer l'hiver",
     {"valloire-habitat-edf-precarite-energetique": 2,
      "cdc-habitat-villiers-le-bel-ateliers-ecogestes": 2}),
    ("calmer les disputes entre occupants d'un même palier",
     {"val-touraine-habitat-pole-mediation-tranquillite": 2, "semsamar-pole-mediation-sociale": 2,
      "optima-mediateurs-de-nuit-rennes": 1, "lmh-tranquillite-agents-de-mediation": 1}),
    ("occuper les ados du coin pendant les congés d'été",
     {"chantier-jeunes-residence-hernani-rouen": 2,
      "clairsienne-eysines-chantiers-educatifs-argent-de-poche": 2,
      "sacoviv-chantier-jeunes-residence-le-couloud-venissieux": 1,
      "paris-habitat-chantiers-educatifs": 1, "oph-meuse-pjj-chantiers-jeunes": 1}),
    ("patrouilles après le coucher du soleil dans les immeubles",
     {"groupement-parisien-interbailleurs-de-surveillance": 2,
      "optima-mediateurs-de-nuit-rennes": 2, "lmh-tranquillite-agents-de-mediation": 1}),
    ("retaper soi-même son appartement avec un coup de main",
     {"compagnons-batisseurs-rennes-auto-rehabilitation": 2}),
    ("renseignements à distance gratuits quand on craint d'être mis dehors",
     {"fondation-abbe-pierre-allo-prevention-expulsion": 2}),
    ("que les gens touchent les prestations oubliées",
     {"venissieux-territoire-zero-non-recours-moulin-a-vent": 2,
      "paris-habitat-vos-droits-en-direct": 2}),
    ("punir les fauteurs de troubles",
     {"macouria-rappel-a-l-ordre-locataires-soula": 2,
      "gardes-particuliers-assermentes-paris-habitat": 1}),
    ("embaucher des chômeurs pour nettoyer le voisinage",
     {"regie-de-quartier-reynerie-services-toulouse": 2, "regie-de-quartier-blanc-mesnil": 2,
      "cnlrq-reseau-regies-de-quartier": 1, "regie-de-quartier-noailles-belsunce-marseille": 1,
      "reunion-formation-gardiens-immeubles-semader-sidr-shlmr": 1}),
    ("un toit pour des malades psychiatriques",
     {"mesolia-residence-accueil-les-augustins-bordeaux": 2,
      "protocole-sante-mentale-logement-paris-2018": 2,
      "logirem-situations-extraordinaires-logements-ordinaires": 1}),
    ("appartements pour fauteuil roulant et retraités",
     {"terre-d-opale-habitat-adapt-imm": 2, "ush-centre-val-de-loire-services-aux-seniors": 1}),
]
