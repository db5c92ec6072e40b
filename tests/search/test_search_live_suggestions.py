""""Did you mean" comes only from the words of practices published right now.

Issue 9, point 4: a withdrawn practice, or a correction that removes a word,
takes that word out of the suggestions at once (the index's word list keeps it
until segments merge); ``check_index`` leaves no stale word either.
"""

from __future__ import annotations

from kb import storage
from kb.corpus import PracticeRecord
from kb.services.indexing import check_index


def publish(runtime, slug: str, word: str, published: bool = True) -> None:
    record = PracticeRecord(slug=slug, title=f"Pratique {word}", summary=f"Résumé {word}.",
                            themes=["Thème synthétique"], cities=["Lyon"],
                            landlords=["Bailleur synthétique"], body=f"Corps {word}.")
    with runtime.session() as session:
        resolver = storage.Resolver(session)
        existing = storage.get_practice(session, slug, published_only=False)
        storage.save_practice(session, resolver, record, existing, published=published)


def suggestion(client, text: str):
    response = client.get("/api/v1/search", query_string={"q": text})
    assert response.status_code == 200
    return response.get_json()["suggestion"]


def test_a_withdrawn_practice_takes_its_words_out_of_suggestions(app, loaded_runtime):
    client = app.test_client()
    publish(loaded_runtime, "pratique-zanzibar", "zanzibar")
    assert suggestion(client, "zanzibra") == "zanzibar"
    publish(loaded_runtime, "pratique-zanzibar", "zanzibar", published=False)
    assert suggestion(client, "zanzibra") is None


def test_a_correction_takes_the_removed_word_out_of_suggestions(app, loaded_runtime):
    client = app.test_client()
    publish(loaded_runtime, "pratique-zanzibar", "zanzibar")
    assert suggestion(client, "zanzibra") == "zanzibar"
    publish(loaded_runtime, "pratique-zanzibar", "tombouctou")  # the same practice, corrected
    assert suggestion(client, "zanzibra") is None
    assert suggestion(client, "tombouctu") == "tombouctou"
    with loaded_runtime.session(write=False) as session:
        check_index(session, loaded_runtime.index)
    assert suggestion(client, "zanzibra") is None
    assert suggestion(client, "tombouctu") == "tombouctou"


def test_accents_of_a_suggestion_come_from_live_text(app, loaded_runtime):
    client = app.test_client()
    publish(loaded_runtime, "pratique-senegal", "Sénégalais")
    assert suggestion(client, "senegalias") == "sénégalais"
