"""The French analysis chain: folding, elisions, compounds, light stemming, stop words."""

from __future__ import annotations

import pytest

from kb.search.analysis import analyze, raw_term, terms
from kb.search.stemmer import STOP_WORDS


def same_terms(a: str, b: str) -> bool:
    return terms(a) == terms(b)


@pytest.mark.parametrize(("a", "b"), [
    ("tranquillité", "tranquillite"), ("œuvre", "oeuvre"), ("cœur", "coeur"),
    ("Éducation", "education"),
])
def test_accents_and_ligatures_fold(a, b):
    assert same_terms(a, b)


def test_folding_happens_before_stemming():
    # Stemming first would give "tranquill" vs "tranquillit".
    assert terms("tranquillité")[0] == terms("TRANQUILLITE")[0]


@pytest.mark.parametrize("word", ["d'insertion", "d’insertion", "l'insertion", "qu’insertion"])
def test_elisions_with_both_apostrophes_are_dropped(word):
    assert terms(word) == terms("insertion")


@pytest.mark.parametrize("prefix", ["l", "d", "qu", "j", "n", "s", "c", "m", "t"])
def test_every_elided_word_is_dropped(prefix):
    assert terms(f"{prefix}'accompagnement") == terms("accompagnement")


@pytest.mark.parametrize(("a", "b"), [
    ("expulsion", "expulsions"), ("locatif", "locative"), ("locatifs", "locatives"),
    ("sociaux", "social"), ("médiatrice", "médiateur"), ("gardienne", "gardiens"),
    ("accompagnement", "accompagnements"), ("habitante", "habitants"),
])
def test_plural_and_feminine_forms_meet(a, b):
    assert same_terms(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("loyer", "loi"), ("CAF", "café"), ("éducateurs", "éducatifs"), ("jeunes", "jeunesse"),
])
def test_light_stemmer_keeps_unrelated_words_apart(a, b):
    assert not same_terms(a, b)


def test_compound_yields_parts_and_joined_form():
    assert terms("Seine-Saint-Denis") == ["sein", "saint", "deni", "seinesaintdeni"]
    assert set(terms("Uni’Voisins")) == set(terms("Uni'Voisins")) >= {
        terms("uni")[0], terms("voisins")[0], terms("univoisins")[0]}


def test_joined_form_shares_the_first_part_position():
    positions = [(p, t) for p, t, _, _ in analyze("le réseau Uni'Voisins aide")]
    assert positions == [(0, "reseau"), (1, "uni"), (2, "voisin"), (1, "univoisin"), (3, "aide")]


@pytest.mark.parametrize("acronym", ["QPV", "CCAPEX", "FSL", "TZNR", "ACI"])
def test_acronyms_are_kept(acronym):
    # Unstemmed: as the stem when stemming leaves it alone, else as a raw term.
    assert {raw_term(acronym.lower()), acronym.lower()} & set(terms(acronym))
    assert terms(acronym)[0] == terms(acronym.lower())[0]


@pytest.mark.parametrize("form", ["18e", "18ème", "18eme", "18E"])
def test_ordinals_meet(form):
    assert terms(form) == ["18e"]


@pytest.mark.parametrize("word", ["les", "cette", "dont", "où", "plus", "tous", "le", "de"])
def test_extended_stop_list(word):
    assert terms(word) == []
    assert word.replace("ù", "u") in STOP_WORDS


def test_offsets_point_at_the_written_word():
    text = "La CCAPEX d’Uni'Voisins"
    spans = {text[s:e] for _, _, s, e in analyze(text)}
    assert {"CCAPEX", "Uni", "Voisins", "Uni'Voisins"} <= spans


def test_chunk_spans_equal_the_analysed_spans():
    from kb.search.places import chunk_spans

    text = ("La CCAPEX d’Uni'Voisins : l'emploi, l'l'emploi -emploi emploi_x xemploi "
            "emplois a--b Seine-Saint-Denis 18ème, voisins Uni’Voisins")
    every = {t for _, t, _, _ in analyze(text)}
    for wanted in ({"emploi"}, {"voisin", "uni"}, {"univoisin", "ccapex"}, every, set()):
        expected = sorted((s, e, t) for _, t, s, e in analyze(text) if t in wanted)
        assert sorted(chunk_spans(text, wanted)) == expected


def test_sequence_marks_terms_sharing_a_position():
    from kb.search.analysis import sequence

    assert sequence("le réseau Uni'Voisins aide") == " reseau uni|univoisin voisin aide "
    assert sequence("les de la") == " "
