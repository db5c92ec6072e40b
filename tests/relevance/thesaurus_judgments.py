"""Judged synonym queries over the bundled corpus: the query names the subject with another
word of the field than the write-up's (the everyday or the official name, an older name, an
anglicism), one that the thesaurus (``practices/_thesaurus.yaml``) holds as equivalent.

(query, {slug: grade}), grade 2 = the answer, 1 = also relevant. Judged by reading the
write-ups; each query avoids the write-up's own words for the subject.
"""

from __future__ import annotations

EVICTION = {"rlf-prevention-des-expulsions-conseillere-sociale": 2,
            "paris-equipes-mobiles-prevention-expulsions": 2,
            "adil-paris-mission-commandements-de-payer": 2,
            "fondation-abbe-pierre-allo-prevention-expulsion": 1,
            "emmaus-habitat-solidarite-saumur-prevention-expulsions": 1,
            "adil-44-mission-experimentale-prevention-expulsions": 1}

THESAURUS = [
    ("arriérés de loyer", EVICTION),
    ("dette locative", EVICTION),
    ("maladie mentale", {"ceapsy-centre-ressource-troubles-psychiques": 2,
                         "plaine-commune-habitat-logement-sante-mentale": 2,
                         "aiguillon-protocole-sante-mentale": 1,
                         "grand-lyon-guide-sante-mentale-logement": 1,
                         "mesolia-residence-accueil-les-augustins-bordeaux": 1,
                         "cdc-habitat-lyon-sensibilisation-sante-mentale": 1,
                         "reseaux-sante-mentale-logement-marseille": 1,
                         "protocole-sante-mentale-logement-paris-2018": 1}),
    ("pauvreté énergétique", {"valloire-habitat-edf-precarite-energetique": 2,
                              "regie-de-quartier-noailles-belsunce-marseille": 1}),
    ("clauses sociales", {"assemblia-clauses-insertion-clermont": 2,
                          "cdc-habitat-clauses-insertion-herouville-saint-clair": 2,
                          "seine-ouest-habitat-chantier-insertion-halls-meudon": 1}),
    ("commissaire de justice", {"paris-equipe-departementale-logement-charte-prevention-expulsions": 2,
                                "adil-paris-mission-commandements-de-payer": 1}),
    ("empowerment", {"collectif-solution-uni-voisins": 2,
                     "compagnons-batisseurs-rennes-auto-rehabilitation": 1,
                     "cnlrq-reseau-regies-de-quartier": 1,
                     "chantier-jeunes-residence-hernani-rouen": 1}),
    ("différend entre voisins", {"semsamar-pole-mediation-sociale": 2,
                                 "val-touraine-habitat-pole-mediation-tranquillite": 2,
                                 "optima-mediateurs-de-nuit-rennes": 1}),
    ("syndrome de Diogène", {"reseaux-sante-mentale-logement-marseille": 2,
                             "logirem-situations-extraordinaires-logements-ordinaires": 1}),
    ("occupation illicite", {"val-touraine-habitat-pole-mediation-tranquillite": 2}),
    ("correspondants de nuit", {"optima-mediateurs-de-nuit-rennes": 2,
                                "lmh-tranquillite-agents-de-mediation": 1}),
    ("abandon scolaire", {"paris-habitat-chantiers-educatifs": 2}),
    ("insertion par l'économique", {"regie-de-quartier-blanc-mesnil": 2,
                                    "regie-de-quartier-noailles-belsunce-marseille": 2,
                                    "seine-ouest-habitat-chantier-insertion-halls-meudon": 1,
                                    "cnlrq-reseau-regies-de-quartier": 1}),
    ("réhabilitation thermique", {"cdc-habitat-clauses-insertion-herouville-saint-clair": 1,
                                  "assemblia-clauses-insertion-clermont": 1,
                                  "valloire-habitat-edf-precarite-energetique": 1,
                                  "cdc-habitat-villiers-le-bel-ateliers-ecogestes": 1}),
    ("sécurité résidentielle", {"equipe-mobile-tranquillite-residentielle-3f": 2,
                                "coproduction-tranquillite-pouvoirs-publics-paris-habitat": 1,
                                "lmh-tranquillite-agents-de-mediation": 1,
                                "martinique-convention-tranquillite-securite-habitat-social": 1,
                                "val-touraine-habitat-pole-mediation-tranquillite": 1,
                                "groupement-parisien-interbailleurs-de-surveillance": 1}),
]
