"""Queries as people type them: questions, loosely written places, short typos, plurals."""

from __future__ import annotations

import pytest
from search_fixtures import doc

from kb.search import SearchIndex, SearchQuery
from kb.search.querying import parse

DOCS = [  # synthetic write-ups
    doc("saint-denis", "Médiation de voisinage à Saint-Denis", "Des médiateurs à Saint-Denis."),
    doc("sainte-genevieve", "Budget participatif", "À Sainte-Geneviève-des-Bois."),
    doc("lhay", "Jardins partagés", "Des parcelles à L'Haÿ-les-Roses."),
    doc("goutte-dor", "Prévention spécialisée", "Dans le quartier de la Goutte-d’Or."),
    doc("dix-huitieme", "Fête des voisins", "Dans le XVIIIe arrondissement."),
    doc("dix-huit-arabe", "Permanence", "Une permanence dans le 18e arrondissement de Paris."),
    doc("halls", "Sécuriser les halls", "Portes à badge et éclairage des halls."),
    doc("impayes", "Accompagner les impayés de loyer", "Un appel dès le premier impayé."),
    doc("jeunes", "Chantier jeunes d'été", "Des jeunes repeignent les escaliers."),
    doc("jeunesse", "Maison de la jeunesse", "Un local pour la jeunesse."),
    doc("isolement", "Rompre l'isolement des seniors", "Des visites aux personnes isolées."),
    doc("isolation", "Isolation des façades", "Travaux de rénovation thermique."),
]


@pytest.fixture
def typed_index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild(DOCS)
    return index


def slugs(index, text):
    return [h.slug for h in index.search(SearchQuery(text, limit=20)).hits]


def full(index, text):
    return {h.slug for h in index.search(SearchQuery(text, limit=20)).hits if not h.missing}


@pytest.mark.parametrize(("question", "kept"), [
    ("comment accompagner les impayés", ["accompagner", "impayés"]),
    ("que faire face à l'occupation des halls", ["face", "occupation", "halls"]),
    ("qu'est-ce que la GUP", ["GUP"]),
    ("quels exemples de jardins partagés", ["jardins", "partagés"]),
    ("comment lutter contre le bruit", ["lutter", "bruit"]),
    # Nouns of a prepositional phrase are grammar there, not elsewhere.
    ("que faire en cas de squat", ["squat"]),
    ("en cas d'impayé de loyer", ["impayé", "loyer"]),
    ("relogement dans le cadre du NPNRU", ["relogement", "NPNRU"]),
    ("médiation au sujet des nuisances", ["médiation", "nuisances"]),
    ("études de cas", ["études", "cas"]),
    ("amélioration du cadre de vie", ["amélioration", "cadre", "vie"]),
    ("en cas de", ["cas"]),
    ('"en cas de" squat', ["en", "cas", "de", "squat"]),
])
def test_questions_lose_their_grammatical_words(question, kept):
    assert [w for c in parse(question).required for w in c.words] == kept


def test_a_question_with_nothing_else_keeps_its_words():
    assert parse("pratiques").required


def test_question_finds_the_practice(typed_index):
    assert slugs(typed_index, "comment accompagner les impayés ?")[0] == "impayes"
    assert slugs(typed_index, "que faire pour sécuriser les halls")[0] == "halls"


@pytest.mark.parametrize(("typed", "expected"), [
    ("st denis", "saint-denis"), ("St-Denis", "saint-denis"), ("saint denis", "saint-denis"),
    ("saintdenis", "saint-denis"), ("ste genevieve des bois", "sainte-genevieve"),
    ("Sainte Geneviève", "sainte-genevieve"), ("lhay les roses", "lhay"),
    ("l'hay les roses", "lhay"), ("hay les roses", "lhay"), ("goutte dor", "goutte-dor"),
    ("goutte d'or", "goutte-dor"), ("gouttedor", "goutte-dor"),
])
def test_places_typed_loosely(typed_index, typed, expected):
    assert expected in full(typed_index, typed)


@pytest.mark.parametrize("typed", ["18e", "18ème", "18eme", "XVIIIe", "XVIIIème", "18E"])
def test_arrondissements_in_every_writing(typed_index, typed):
    assert full(typed_index, typed) == {"dix-huitieme", "dix-huit-arabe"}


def test_lowercase_words_are_not_roman_numerals(typed_index):
    assert parse("vie").required[0].terms != parse("6e").required[0].terms


def test_fuzzy_retry_helps_a_four_letter_word_when_nothing_matches(typed_index):
    assert slugs(typed_index, "fetz") == ["dix-huitieme"]  # "fête", one letter wrong
    # "fate" would be the same slip, but it is an English word: a real word is never
    # read as another one (kb/search/lexicon.py).
    assert slugs(typed_index, "fate") == []
    assert slugs(typed_index, "loi") == []  # three letters: never fuzzy


def test_plural_and_singular_find_the_same_practices(typed_index):
    assert full(typed_index, "jeunes") == full(typed_index, "jeune") == {"jeunes"}
    assert "jeunesse" not in full(typed_index, "jeunes")
    assert slugs(typed_index, "Chantier jeunes")[0] == "jeunes"


def test_words_of_different_meaning_stay_apart(typed_index):
    assert full(typed_index, "isolement") == {"isolement"}
    assert full(typed_index, "isolation") == {"isolation"}


def test_the_form_typed_outranks_its_other_inflections(tmp_path):
    index = SearchIndex(tmp_path / "exact")
    index.rebuild([doc("masculin", "Suivi renforcé", "Un accompagnement locatif proposé tôt."),
                   doc("feminin", "Suivi renforcé", "Une dette locative examinée tôt."),
                   doc("pluriel", "Suivi renforcé", "Des expulsions évitées chaque année."),
                   doc("singulier", "Suivi renforcé", "Une expulsion évitée chaque année.")])
    assert slugs(index, "locatif") == ["masculin", "feminin"]
    assert slugs(index, "locative") == ["feminin", "masculin"]
    assert slugs(index, "expulsions") == ["pluriel", "singulier"]
    assert slugs(index, "expulsion") == ["singulier", "pluriel"]

