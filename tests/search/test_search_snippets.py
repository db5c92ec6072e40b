"""Snippets: the passage with most query words; sentences shared by several results come last."""

from __future__ import annotations

from kb.search.analysis import terms
from kb.search.snippets import snippets

INTRO = ("Cette fiche a été présentée lors de la table ronde de la conférence régionale sur la "
         "tranquillité résidentielle dans les quartiers prioritaires.")


def wanted(text: str) -> set[str]:
    return set(terms(text))


def test_a_shared_introduction_is_the_last_choice():
    bodies = [
        f"{INTRO} Les gardiens signalent les troubles de tranquillité aux médiateurs de nuit.",
        f"{INTRO.replace('la table ronde', 'la seconde table ronde')} Une charte de tranquillité "
        "est signée avec les locataires du bâtiment B.",
        f"{INTRO} Des caméras protègent les parkings.",
    ]
    shown = snippets([("", body) for body in bodies], wanted("tranquillité"))
    assert "médiateurs de nuit" in shown[0] and "conférence" not in shown[0]
    assert "charte" in shown[1] and "conférence" not in shown[1]
    assert "<mark>tranquillité</mark>" in shown[2]  # only the introduction has the word


def test_the_passage_with_most_distinct_words_wins():
    body = ("Le bailleur organise des visites. " * 5 + "Les visites de convivialité rompent "
            "l'isolement des seniors. " + "Les seniors aiment le jardin. " * 5)
    [shown] = snippets([("", body)], wanted("visites isolement seniors"))
    assert "<mark>isolement</mark>" in shown and "<mark>visites</mark>" in shown
