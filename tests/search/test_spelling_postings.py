"""A rebuild spells the ``spell``/``spellx`` entries of each word once, at the end
(``SpellingPostings``): it must give what spelling each document as it comes gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.search.analysis import WORD_RE
from kb.search.filing import SpellingPostings
from kb.search.spell_entries import spelling_entries, spelling_terms, spelling_words

WORDS = st.sampled_from([
    "tranquillité", "Tranquillité", "tranquillite", "médiation", "Médiation", "mediation",
    "l'équipe", "d’Uni’Voisins", "jeunes", "Jeunesse", "QPV", "CCAPEX", "Saint-Ouen",
    "été", "ete", "élu", "les", "de", "à", "gardien", "gardiennes", "18e", "XVIIIe",
])
DOCUMENTS = st.lists(st.lists(st.one_of(WORDS, st.text(alphabet="abcéèçÉ'’- ", max_size=10)),
                              max_size=15).map(" ".join), max_size=12)


def one_by_one(texts: list[str]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """What the per-document path indexes: each document's entries, accented
    spellings with their first document only."""
    seen: set[str] = set()
    spell: dict[str, list[int]] = {}
    spellx: dict[str, list[int]] = {}
    for docnum, text in enumerate(texts):
        words, accented = spelling_terms(spelling_entries(set(WORD_RE.findall(text))), seen)
        for target, entries in ((spell, words), (spellx, accented)):
            for entry in entries:
                target.setdefault(entry, []).append(docnum)
    return spell, spellx


@given(DOCUMENTS)
@settings(max_examples=200, deadline=None)
def test_spelling_at_the_end_gives_the_entries_of_each_document(texts):
    filed = SpellingPostings(spelling_words)
    for docnum, text in enumerate(texts):
        filed.add(docnum, set(WORD_RE.findall(text)))
    spell, spellx = (grouped.items() for grouped in filed.grouped())
    expected_spell, expected_spellx = one_by_one(texts)
    for got, expected in ((spell, expected_spell), (spellx, expected_spellx)):
        assert [term for term, _ in got] == sorted(t.encode() for t in expected)
        assert {term.decode(): docs for term, docs in got} == expected


def test_an_accented_spelling_is_filed_once_with_its_first_document():
    filed = SpellingPostings(spelling_words)
    for docnum, text in enumerate(["la médiation", "Médiation, médiation", "mediation"]):
        filed.add(docnum, set(WORD_RE.findall(text)))
    spell, spellx = (grouped.items() for grouped in filed.grouped())
    assert dict(spell)[b"mediation"] == [0, 1, 2]
    assert dict(spellx) == {"mediation\x1fmédiation".encode(): [0]}


@given(st.lists(st.integers(min_value=-(2**62), max_value=2**62), max_size=60))
def test_distinct_values_and_runs_are_numpys_unique(values):
    import numpy as np

    from kb.search.filing import _distinct, _runs

    array = np.array(values, dtype=np.int64)
    assert _distinct(array).tolist() == np.unique(array).tolist()
    ordered = np.sort(array)
    found, at, many = _runs(ordered)
    expected = np.unique(ordered, return_index=True, return_counts=True)
    assert [x.tolist() for x in (found, at, many)] == [x.tolist() for x in expected]
