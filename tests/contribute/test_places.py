"""Places people use: "Lyon 8e" is Lyon, 8e arrondissement, and a practice may have no city."""

from __future__ import annotations

import pytest

from kb.corpus.load import practice_from_data
from kb.taxonomy import cities_with_arrondissements, split_arrondissement

from .support import submit


@pytest.mark.parametrize("label, expected", [
    ("Lyon 8e", ("Lyon", "8e arrondissement")),
    ("Lyon 8ème arrondissement", ("Lyon", "8e arrondissement")),
    ("paris 18e arr.", ("Paris", "18e arrondissement")),
    ("Paris 1er", ("Paris", "1er arrondissement")),
    ("Marseille 13e", ("Marseille", "13e arrondissement")),
    ("3e arrondissement de Marseille", ("Marseille", "3e arrondissement")),
    ("8e arrondissement de Lyon", ("Lyon", "8e arrondissement")),
])
def test_a_district_of_paris_lyon_or_marseille_belongs_to_its_city(label, expected):
    assert split_arrondissement(label) == expected


@pytest.mark.parametrize("label", ["Lyon", "Paris", "Villeurbanne", "Lyon 10e", "Paris 21e",
                                   "Marseille 17e", "Saint-Étienne 2e", "Parisot"])
def test_other_places_and_numbers_a_city_does_not_have_stay_as_written(label):
    assert split_arrondissement(label) is None


def test_cities_and_districts_are_merged_without_repeats():
    assert cities_with_arrondissements(["Lyon 8e", "Lyon 9e", "Villeurbanne"], ["Mermoz"]) == (
        ["Lyon", "Villeurbanne"], ["Mermoz", "8e arrondissement", "9e arrondissement"])
    assert cities_with_arrondissements(["Lyon"], ["8e arrondissement"]) == (["Lyon"], ["8e arrondissement"])


def _data(**changes):
    data = {"title": "Médiation de soirée (fictive)", "summary": "Une pratique synthétique.",
            "themes": ["Tranquillité résidentielle"], "landlords": ["Office Test Habitat"],
            "cities": ["Lyon 8e"]}
    data.update(changes)
    return data


def test_every_door_of_the_corpus_rules_files_the_district_under_its_city():
    problems: list = []
    record = practice_from_data(_data(), "", "pratique", "formulaire", problems)
    assert problems == []
    assert (record.cities, record.districts) == (["Lyon"], ["8e arrondissement"])


def test_a_practice_may_have_no_city():
    problems: list = []
    record = practice_from_data(_data(cities=[]), "", "pratique", "formulaire", problems)
    assert problems == [] and record.cities == []


def test_the_form_accepts_a_contribution_without_a_city(client, bundled_runtime):
    assert submit(client, cities="").startswith("/contribuer/suivi/")
