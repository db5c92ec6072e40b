"""French word pairs that must, or must not, meet in the index (one term each).

Chosen from the language, not from the test corpora: inflections (plural,
feminine, participle) meet; derivations (-ement, -ation, -age, -eur, -ant,
-ier, -ité, -esse...) and look-alikes of a different meaning stay apart.
"""

from __future__ import annotations

import pytest

from kb.search.analysis import terms

MEET = [
    ("locative", "locatif"), ("locatives", "locatifs"), ("expulsion", "expulsions"),
    ("sortie", "sorties"), ("sortie", "sorti"), ("jeune", "jeunes"), ("social", "sociaux"),
    ("sociale", "sociales"), ("gardien", "gardienne"), ("gardiens", "gardiennes"),
    ("médiateur", "médiatrice"), ("animateurs", "animatrices"), ("habitant", "habitantes"),
    ("locataire", "locataires"), ("citoyen", "citoyenne"), ("personnel", "personnelle"),
    ("premier", "première"), ("accompagné", "accompagnées"), ("accompagner", "accompagné"),
    ("quartier", "quartiers"), ("bailleur", "bailleurs"), ("travailleur", "travailleuse"),
    ("heureux", "heureuse"), ("collectif", "collective"), ("logement", "logements"),
    ("prioritaire", "prioritaires"), ("résident", "résidentes"), ("bureau", "bureaux"),
    ("local", "locaux"), ("éducateur", "éducatrice"), ("Éducation", "education"),
    ("tranquillité", "tranquillite"), ("œuvre", "oeuvre"), ("cité", "cités"),
    ("nuit", "nuits"), ("loyer", "loyers"), ("dette", "dettes"), ("hall", "halls"),
]

APART = [
    ("habitat", "habitant"), ("bail", "bailleur"), ("cité", "citoyen"), ("garde", "gardien"),
    ("loyer", "loi"), ("isolement", "isolation"), ("jeunes", "jeunesse"),
    ("logement", "loger"), ("location", "locatif"), ("locataire", "location"),
    ("médiation", "médiateur"), ("éducateurs", "éducatifs"), ("CAF", "café"),
    ("accompagnement", "accompagner"), ("gestion", "gestionnaire"), ("gardiennage", "gardien"),
    ("sécurité", "sécurisation"), ("habitation", "habitat"), ("insertion", "inséré"),
    ("prévention", "préventif"), ("quartier", "quart"), ("charges", "charte"),
    ("foyer", "foi"), ("voisin", "voisinage"), ("propreté", "propre"),
    ("bailleur", "baille"), ("entretien", "entreprise"), ("mobile", "mobilité"),
    ("résidence", "résident"), ("santé", "sain"), ("chantier", "chant"),
    ("animation", "animateur"), ("formation", "forme"), ("réunion", "réunir"),
    ("signalement", "signal"), ("sortie", "sort"), ("vie", "vif"), ("collecte", "collectif"),
]


def term(word: str) -> str:
    found = terms(word)
    assert len(found) >= 1, word
    return found[0]


def test_the_table_is_large_enough():
    assert len(MEET) + len(APART) >= 40 and len(MEET) >= 20 and len(APART) >= 20


@pytest.mark.parametrize(("a", "b"), MEET)
def test_inflections_meet(a, b):
    assert term(a) == term(b)


@pytest.mark.parametrize(("a", "b"), APART)
def test_different_words_stay_apart(a, b):
    assert term(a) != term(b)
