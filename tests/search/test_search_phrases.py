"""Phrase queries answered from the ``pairs`` field must equal a positional check."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.search import SearchIndex, SearchQuery
from kb.search.analysis import analyze, pairs, slots
from kb.search.filing import PairPostings
from kb.search.querying import parse
from kb.search.schema import _names_text, strip_markdown

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for tests.benchmarks
from tests.benchmarks.gen_corpus import generate  # noqa: E402

PHRASES = [
    "lien social", "santé mentale", "mise en œuvre", "quartier prioritaire",
    "tranquillité résidentielle", "dettes locatives", "dette locative", "médiation de nuit",
    "gestion urbaine de proximité", "atelier chantier d'insertion", "accès aux droits",
    "conseiller en économie sociale et familiale", "social lien", "habitant locataire",
    "Seine-Saint-Denis Habitat", "Uni'Voisins", "paris habitat", "locative dette",
]


def _positional(doc, terms: list[str]) -> bool:
    """True if ``terms`` occur at consecutive positions of one text field (brute force)."""
    for text in (doc.title, doc.summary, _names_text(doc), strip_markdown(doc.body)):
        at: dict[int, set[str]] = {}
        for pos, term, _, _ in analyze(text):
            at.setdefault(pos, set()).add(term)
        for p in at:
            if all(t in at.get(p + i, ()) for i, t in enumerate(terms)):
                return True
    return False


@pytest.fixture(scope="module")
def corpus():
    return generate(300, seed=7)


@pytest.fixture(scope="module")
def phrase_index(corpus, tmp_path_factory) -> SearchIndex:
    ix = SearchIndex(Path(tmp_path_factory.mktemp("phrases")) / "index")
    ix.rebuild(corpus)
    return ix


@pytest.mark.parametrize("phrase", PHRASES)
def test_phrase_matches_positional_check(phrase_index, corpus, phrase):
    terms = parse(f'"{phrase}"').required[0].terms
    expected = {d.slug for d in corpus if _positional(d, terms)}
    resp = phrase_index.search(SearchQuery(f'"{phrase}"', limit=500))
    assert resp.total == len(expected)
    assert {h.slug for h in resp.hits} == expected


def test_some_phrases_match_and_some_do_not(phrase_index):
    assert phrase_index.search(SearchQuery('"lien social"')).total > 0
    assert phrase_index.search(SearchQuery('"social lien"')).total < \
        phrase_index.search(SearchQuery("social lien")).total


def test_pairs_follow_positions():
    assert "lien_social" in pairs("Le lien social")
    assert "mise_oeuvr" in pairs("mise en œuvre")  # stop words do not break a pair
    # a compound's joined form pairs with the next position too
    got = pairs("Uni'Voisins habitat")
    assert {"uni_voisin", "univoisin_voisin", "voisin_habitat"} <= got


@given(st.lists(st.text(alphabet="abcdé'’- ", max_size=12), max_size=12).map(" ".join))
@settings(max_examples=300, deadline=None)
def test_pairs_are_every_term_of_a_position_with_every_term_of_the_next(text):
    # compounds ("a-b", "d'é") share positions; each term of one pairs with each of the next
    at: dict[int, set[str]] = {}
    for pos, term, _, _ in analyze(text):
        at.setdefault(pos, set()).add(term)
    expected = {f"{a}_{b}" for p in at for a in at[p] for b in at.get(p + 1, ())}
    assert pairs(text) == expected


@given(st.lists(st.text(alphabet="abcdé'’- ", max_size=12), max_size=12).map(" ".join))
@settings(max_examples=300, deadline=None)
def test_a_rebuild_numbers_exactly_the_pairs_an_upsert_spells(text):
    filed = PairPostings()
    by_pos = slots(text)
    filed.add(3, filed.keys_of([(by_pos, sum(map(len, by_pos)))]))
    got = dict(filed.grouped().items())
    assert {t.decode() for t in got} == pairs(text)
    assert all(docs == [3] for docs in got.values())
