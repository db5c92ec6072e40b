"""The thesaurus at query time, on a small SYNTHETIC index: weight, phrases, direction."""

from __future__ import annotations

import pytest

from kb.search import IndexDocument, SearchIndex, SearchQuery, response_to_json
from kb.search.thesaurus import SYNONYM_WEIGHT, SynonymMap

GROUPS = [(("dette locative", "impayé de loyer", "arriéré de loyer"), ("commandement de payer",)),
          (("médiation", "médiateur"), ()),
          (("rodéos urbains", "rodéos motorisés"), ())]

# Synthetic write-ups: every organisation and fact below is made up for this test.
DOCS = [
    ("typed", "Suivi de la dette locative par une conseillère",
     "Une conseillère synthétique suit chaque dette locative dès le premier mois."),
    ("synonym", "Suivi des impayés de loyer par une conseillère",
     "Une conseillère synthétique suit chaque impayé de loyer dès le premier mois."),
    ("scattered", "Un loyer révisé et un impayé de charges",
     "Le loyer synthétique est révisé ; un impayé de charges d'eau est traité à part."),
    ("narrower", "Un commandement de payer expliqué aux locataires",
     "Un atelier synthétique explique le commandement de payer et ses suites."),
    ("agent", "Des médiateurs dans les halls",
     "Deux médiateurs synthétiques passent chaque soir dans les halls."),
    ("noise", "Un jardin partagé", "Un potager synthétique au pied des immeubles."),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    index = SearchIndex(tmp_path_factory.mktemp("thesaurus") / "index")
    index.rebuild([IndexDocument(slug=s, title=t, summary=b, body=b) for s, t, b in DOCS])
    return index


THESAURUS = SynonymMap(GROUPS)


def search(index, text: str, thesaurus: SynonymMap | None = THESAURUS):
    return index.search(SearchQuery(text, limit=10, thesaurus=thesaurus))


def test_a_synonym_weighs_less_than_the_typed_word(index):
    assert SYNONYM_WEIGHT == 0.5
    found = search(index, "dette locative")
    scores = {h.slug: h.score for h in found.hits}
    assert found.hits[0].slug == "typed" and scores["synonym"] < scores["typed"]
    # Without the thesaurus the synonym's write-up is not found at all.
    assert [h.slug for h in search(index, "dette locative", None).hits] == ["typed"]
    # Typed the other way round, the other write-up leads.
    other = {h.slug: h.score for h in search(index, "impayés de loyer").hits}
    assert max(other, key=other.get) == "synonym" and other["typed"] < other["synonym"]


def test_multi_word_synonyms_match_as_phrases_only(index):
    slugs = {h.slug for h in search(index, "dette locative").hits}
    assert "scattered" not in slugs  # "impayé" and "loyer" apart are not "impayé de loyer"


def test_a_term_widens_to_its_narrower_terms_not_the_other_way_round(index):
    assert "narrower" in {h.slug for h in search(index, "dette locative").hits}
    assert {h.slug for h in search(index, "commandement de payer").hits} == {"narrower"}


def test_agent_and_action_meet_through_the_thesaurus(index):
    assert [h.slug for h in search(index, "médiation").hits] == ["agent"]
    # without the thesaurus too: the agent/action rule (kb/search/derivation.py) meets them
    assert [h.slug for h in search(index, "médiation", None).hits] == ["agent"]


def test_expanded_names_only_the_terms_some_result_holds_as_the_thesaurus_writes_them(index):
    found = search(index, "dette locative")
    assert found.expanded == ["impayé de loyer", "commandement de payer"]
    assert search(index, "rodéos urbains").expanded == []  # no write-up says "rodéos motorisés"
    assert search(index, "jardin").expanded == []
    data = response_to_json(found)
    assert data["expanded"] == ["impayé de loyer", "commandement de payer"]
    assert set(data) == {"total", "results", "facets", "suggestion", "partial", "missing_terms",
                         "expanded"}


def test_the_synonym_map_is_small_to_log_and_ignores_empty_terms():
    smap = SynonymMap([(("le", "dette locative", "impayé de loyer"), ("de la",))])
    assert len(smap) == 2 and repr(smap) == "<SynonymMap of 2 terms>"
    assert not SynonymMap([])


def test_the_synonyms_share_of_a_score_is_exactly_its_weight(index, monkeypatch):
    """The write-up holding only the synonym scores by it alone: half what it would at 1."""
    half = {h.slug: h.score for h in search(index, "dette locative").hits}["synonym"]
    monkeypatch.setattr("kb.search.thesaurus.SYNONYM_WEIGHT", 1.0)
    full = {h.slug: h.score for h in search(index, "dette locative").hits}["synonym"]
    assert half == pytest.approx(full * 0.5, rel=1e-3)
