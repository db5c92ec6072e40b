"""Acronyms expanded both ways at query time, from a plain list of (acronym, expansion) pairs.

The pairs below are a synthetic list for the tests; the real glossary is
passed the same way (``SearchQuery.synonyms``, ``search_practices(synonyms=...)``).
"""

from __future__ import annotations

import pytest
from search_fixtures import doc

from kb.search import SearchIndex, SearchQuery

PAIRS = (
    ("CMP", "centre médico-psychologique"),
    ("GUP", "gestion urbaine de proximité"),
    ("ACI", "atelier chantier d'insertion"),
    ("QPV", "quartier prioritaire"),
    ("CCAPEX", "commission de coordination des actions de prévention des expulsions"),
)

DOCS = [  # synthetic write-ups
    doc("long-cmp", "Permanence du centre médico-psychologique", "Un infirmier reçoit."),
    doc("court-cmp", "Le CMP reçoit les locataires", "Orientation par les gardiens."),
    doc("mots-epars", "Centre social", "Suivi médico-social et soutien psychologique."),
    doc("long-gup", "Diagnostic de gestion urbaine de proximité", "Un parcours du quartier."),
    doc("court-gup", "Convention GUP", "Signée avec la ville."),
    doc("gestion-seule", "Gestion locative", "Proximité avec les locataires en milieu urbain."),
    doc("aci", "Un atelier chantier d'insertion", "Espaces verts."),
    doc("ccapex", "Saisir la CCAPEX", "Avant l'assignation."),
    doc("ccapex-long", "Commission", "La commission de coordination des actions de prévention "
                                     "des expulsions examine le dossier."),
]


@pytest.fixture
def glossary_index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild(DOCS)
    return index


def found(index, text, synonyms=PAIRS):
    return {h.slug for h in index.search(SearchQuery(text, limit=50, synonyms=synonyms)).hits}


def test_an_acronym_finds_its_expansion(glossary_index):
    assert found(glossary_index, "CMP") == {"long-cmp", "court-cmp"}
    assert found(glossary_index, "cmp") == {"long-cmp", "court-cmp"}
    assert found(glossary_index, "GUP") == {"long-gup", "court-gup"}


def test_an_expansion_finds_its_acronym_as_a_phrase(glossary_index):
    assert found(glossary_index, "centre médico-psychologique") == {"long-cmp", "court-cmp"}
    assert found(glossary_index, "centre medico psychologique") == {"long-cmp", "court-cmp"}
    assert found(glossary_index, "gestion urbaine de proximité") == {"long-gup", "court-gup"}


def test_scattered_words_of_an_expansion_do_not_count_as_the_acronym(glossary_index):
    assert "mots-epars" not in found(glossary_index, "CMP")
    assert "gestion-seule" not in found(glossary_index, "GUP")


def test_long_expansions_and_elisions(glossary_index):
    assert found(glossary_index, "ACI") == {"aci"}
    assert found(glossary_index, "CCAPEX") == {"ccapex", "ccapex-long"}
    assert found(glossary_index, "commission de coordination des actions de prévention des "
                                 "expulsions") >= {"ccapex", "ccapex-long"}


def test_without_the_glossary_only_the_written_form_is_found(glossary_index):
    assert found(glossary_index, "CMP", ()) == {"court-cmp"}


def test_an_acronym_with_other_words_still_requires_them(glossary_index):
    r = glossary_index.search(SearchQuery("CMP infirmier", synonyms=PAIRS))
    assert r.hits[0].slug == "long-cmp" and not r.hits[0].missing


def test_excluding_an_acronym_excludes_its_expansion(glossary_index):
    assert found(glossary_index, "locataires -CMP") == {"gestion-seule"}
