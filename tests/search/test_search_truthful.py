"""Never a false word: banners, unknown words, suggestions and near spellings tell the truth.

Over a SYNTHETIC corpus built here (invented practices), indexed on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from search_fixtures import doc

from kb.search import SearchIndex, SearchQuery, lexicon, response_to_json, spelling
from kb.search.analysis import fold_word, terms
from kb.search.derivation import partners
from kb.search.querying import parse

DOCS = [
    doc("nuit-rennes", "Médiateurs de nuit à Rennes",
        "Une équipe de médiation de nuit parcourt les résidences.",
        "La médiation de nuit apaise les conflits de voisinage entre 18 h et 2 h."),
    doc("pole-mediation", "Pôle de médiation sociale",
        "La médiation sociale règle les conflits de voisinage.",
        "Les agents de médiation interviennent le jour, au-delà des horaires des gardiens."),
    doc("veille-nuit", "Veille de nuit dans les halls",
        "Des agents de surveillance passent la nuit.", "Rondes de nuit et rapports."),
    doc("sante-mots", "Mettre des mots sur la souffrance psychique",
        "Former les gardiens à parler de santé mentale.",
        "Des rôles et des mots pour dire les choses aux locataires."),
    doc("equipes-baton", "Agents équipés",
        "Des agents équipés de radios.", "Les agents sont équipés et formés."),
    doc("secteur-jeunes", "Un secteur jeunes",
        "Le secteur jeunes du centre social accueille les adolescents.",
        "Une équipe de football et des animations."),
    doc("section-football", "Une section sportive", "La section de football du quartier.",
        "Entraînements le samedi."),
    doc("democratie-locataires", "Démocratie locale et locataires",
        "Des assemblées de locataires pour décider des travaux.",
        "La démocratie de proximité donne la parole aux locataires."),
    *[doc(f"locataires-{i}", f"Conseil de locataires numéro {i}",
          "Les locataires élus se réunissent chaque mois.",
          "Un conseil de concertation locative réunit les locataires et le bailleur.")
      for i in range(12)],
    doc("educatrices", "Éducatrices de rue", "Des éducatrices vont vers les jeunes.",
        "Les éducatrices spécialisées tiennent une permanence."),
    doc("education-populaire", "Éducation populaire au pied des immeubles",
        "Des ateliers d'éducation populaire pour les familles.", "Ateliers chaque mercredi."),
]

QUERIES = ["médiation de nuit", "médiation nuit", "médiateurs nuit", "rodéos motos",
           "démocratie participative locataires", "participative locataires",
           "secteur jeunes", "éducatrices", "éducation", "nuit locataires gardiens",
           "agents équipés radios", "mots souffrance", "locataires travaux assemblées",
           "conflits voisinage jour nuit", "médiatoin", "locatiares conseil"]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    ix = SearchIndex(Path(tmp_path_factory.mktemp("truthful")) / "index", writer_timeout=10)
    ix.rebuild(DOCS)
    return ix


def search(index, text, **kw):
    return index.search(SearchQuery(text, limit=kw.pop("limit", 50), **kw))


def _doc_terms(slug: str) -> set[str]:
    d = next(d for d in DOCS if d.slug == slug)
    return set(terms(" ".join((d.title, d.summary, d.body))))


def _doc_words(slug: str) -> set[str]:
    d = next(d for d in DOCS if d.slug == slug)
    return {fold_word(w) for w in " ".join((d.title, d.summary, d.body)).replace("'", " ").split()}


def _forms(clause, slug: str) -> set[str]:
    """The terms that stand for a clause in a practice: its stems, its agent/action
    partner, and for a word of no language, the words one slip away."""
    forms = set(clause.terms) | set(clause.related)
    if clause.raw and not lexicon.is_word(clause.raw):
        forms |= {spelling.stem(w) for w in _doc_words(slug)
                  if len(w) >= 5 and spelling._distance(clause.raw, w) <= 1}
    return forms


@pytest.mark.parametrize("text", QUERIES)
def test_a_result_said_to_hold_every_word_holds_them(index, text):
    """Banner truth: a hit with no missing word holds each word (a form of it or its
    agent/action partner); ``partial`` only when no hit holds them all."""
    r = search(index, text)
    clauses = parse(text).required
    for hit in r.hits:
        held = _doc_terms(hit.slug)
        for clause in clauses:
            words = " ".join(clause.words)
            forms = _forms(clause, hit.slug)
            if words in hit.missing:
                assert not forms & held, (hit.slug, words)
            else:
                assert forms & held, (hit.slug, words)
    if r.partial:
        assert r.hits and all(h.missing for h in r.hits)
    else:
        assert not r.hits or not r.hits[0].missing


def test_no_banner_above_a_practice_holding_every_word(index):
    r = search(index, "médiation de nuit")
    assert r.hits[0].slug == "nuit-rennes" and r.hits[0].missing == ()
    assert not r.partial and response_to_json(r)["partial"] is False
    assert {h.missing for h in r.hits[1:]} <= {("médiation",), ("nuit",)}


def test_a_real_word_is_never_read_as_another(index):
    r = search(index, "rodéos motos")  # "motos" is one letter from "mots", and French
    assert r.total == 0 and r.suggestion is None
    assert r.unknown_terms == ["rodéos", "motos"]
    assert "sante-mots" not in [h.slug for h in search(index, "motos").hits]


def test_a_typo_of_no_language_is_tolerated_and_suggested(index):
    r = search(index, "médiatoin")
    assert r.suggestion == "médiation"
    r = search(index, "locatiares conseil")
    assert r.suggestion == "locataires conseil" and r.total >= 12


def test_a_word_found_nowhere_is_listed_and_costs_no_other_word_its_place(index):
    wider = search(index, "participative locataires")
    r = search(index, "démocratie participative locataires")
    assert r.unknown_terms == ["participative"]
    data = response_to_json(r)
    assert data["unknown_terms"] == ["participative"] and data["missing_terms"] == ["participative"]
    assert r.total >= wider.total >= 13
    # The practice holding both known words comes first, then those with one of them.
    assert r.hits[0].slug == "democratie-locataires"
    assert all("démocratie" in h.missing for h in r.hits[1:])


def test_partial_matches_go_down_to_one_word_ranked_by_words_held(index):
    r = search(index, "nuit locataires gardiens")
    counts = [3 - len(h.missing) for h in r.hits]
    assert counts == sorted(counts, reverse=True) and counts[-1] == 1
    assert r.total >= 14  # the twelve councils hold only "locataires"
    scores = [h.score for h in r.hits]
    assert scores == sorted(scores, reverse=True)


def test_agent_and_action_meet(index):
    agents = {h.slug for h in search(index, "médiateurs").hits}
    actions = {h.slug for h in search(index, "médiation").hits}
    assert agents == actions == {"nuit-rennes", "pole-mediation"}
    assert search(index, "médiateurs").hits[0].slug == "nuit-rennes"  # the word typed leads
    assert {h.slug for h in search(index, "éducatrices").hits} == {"educatrices",
                                                                  "education-populaire"}
    assert search(index, "éducatrices").hits[0].slug == "educatrices"


def test_agent_action_pairs_leave_unrelated_words_alone(index):
    assert {h.slug for h in search(index, "section").hits} == {"section-football"}
    assert {h.slug for h in search(index, "secteur").hits} == {"secteur-jeunes"}
    assert partners("secteu") == () and partners("section") == ()
    assert partners("porteu") == () and partners("action") == ()
    assert partners("mediateu") == ("mediation",) and partners("animation") == ("animateu",)


def test_a_suggestion_is_never_a_fragment_of_a_compound(index):
    # "delà" exists only inside "au-delà": one letter from "delq", but never proposed.
    r = search(index, "horaires delq")
    assert r.suggestion is None


def test_no_suggestion_for_a_word_of_the_corpus_or_a_french_word(index):
    for text in ("propreté", "comportement", "internet", "motos", "mots", "section",
                 "équipe mobile"):
        r = search(index, text)
        assert r.suggestion is None, text
    # The words of every suggestion made: none was typed as a real or a corpus word.
    for text in QUERIES:
        r = search(index, text)
        if r.suggestion:
            typed = [fold_word(w) for w in text.split()]
            fixed = [fold_word(w) for w in r.suggestion.split()]
            for before, after in zip(typed, fixed, strict=True):
                if before != after:
                    assert not lexicon.is_word(before), (text, before)
                    assert not any(before in _doc_terms(d.slug) for d in DOCS)


def _holding_all(text: str) -> int:
    """Practices holding every word of ``text`` as typed (a form or its partner)."""
    clauses = parse(text).required
    return sum(1 for d in DOCS
               if all((set(c.terms) | set(c.related)) & _doc_terms(d.slug) for c in clauses))


def test_a_suggestion_finds_more_practices_than_the_words_typed(index):
    made = 0
    for text in QUERIES:
        r = search(index, text)
        if r.suggestion:
            made += 1
            assert search(index, r.suggestion).total > _holding_all(text), text
    assert made >= 2


def test_the_word_lists_are_french_and_english_folded():
    assert lexicon.is_word("mediation") and lexicon.is_word("proprete")  # folded forms
    assert lexicon.is_word("motos") and lexicon.is_word("deal") and lexicon.is_word("internet")
    assert not lexicon.is_word("mediatoin") and not lexicon.is_word("locatiares")
