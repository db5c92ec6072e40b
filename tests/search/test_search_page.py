"""The search page says what a partial result lacks and labels the facts under each result."""

from __future__ import annotations

import re


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_partial_results_say_which_words_were_not_found(client):
    response = client.get("/recherche", query_string={"q": "médiation zorglub"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    text = text_of(body)
    # A word in no practice is said plainly, with the way to the themes; not as a
    # missing word of results that hold every other one.
    assert "Aucune pratique ne parle de « zorglub »." in text
    assert "Résultats sans" not in text
    assert 'href="/themes"' in body.split("Aucune pratique ne parle", 1)[1].split("</p>", 1)[0]
    assert "Médiation de soirée (fictive)" in text
    assert "Sans : zorglub" in text  # under the result itself


def test_partial_results_in_english(client):
    text = text_of(client.get("/recherche", query_string={"q": "médiation zorglub",
                                                          "lang": "en"}).get_data(as_text=True))
    assert "No practice mentions “zorglub”." in text and "Without: zorglub" in text


def test_partial_results_keep_the_filters(client):
    text = text_of(client.get("/recherche", query_string={
        "q": "médiation zorglub", "city": "rouen"}).get_data(as_text=True))
    assert "Médiation de soirée (fictive)" not in text  # not in Rouen


def test_a_word_found_nowhere_alone_gives_no_result_and_no_partial_line(client):
    text = text_of(client.get("/recherche", query_string={"q": "zorglub"}).get_data(as_text=True))
    assert "Aucune pratique" in text and "Résultats sans" not in text


def test_facts_under_a_result_are_labelled(client):
    text = text_of(client.get("/recherche", query_string={"q": "médiation"}).get_data(as_text=True))
    assert re.search(r"Bailleur : \S", text) and re.search(r"Ville : Saint-Étienne", text)
    assert re.search(r"Thème : Tranquillité", text) and "Depuis : 2021" in text
    assert "Statut :" in text


def test_facts_are_labelled_in_english(client):
    text = text_of(client.get("/recherche", query_string={"q": "médiation", "lang": "en"})
                   .get_data(as_text=True))
    assert "Landlord:" in text and "City: Saint-Étienne" in text and "Since: 2021" in text
