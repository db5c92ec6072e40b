"""Results found by meaning alone: after the word matches, under their heading, every
query word in their missing_terms; the page, the API and ``kb search`` say the same."""

from __future__ import annotations

import re

import pytest

from kb.models import Practice
from kb.search.analysis import term_of, terms
from kb.services import hybrid
from kb.services.search import search_practices

# No practice holds all of these words; the answer, Val Touraine's mediation service
# for neighbour disputes, holds none of them.
QUERY = "calmer les querelles entre occupants d'un même palier"
ANSWER = "val-touraine-habitat-pole-mediation-tranquillite"


def _text(session, slug: str) -> str:
    practice = session.query(Practice).filter_by(slug=slug).one()
    return f"{practice.title}\n{practice.summary}\n{practice.body}"


def test_meaning_results_follow_the_word_matches_and_hold_no_query_word(bundled):
    with bundled.session(write=False) as session:
        response = search_practices(session, bundled.index, QUERY)
        flags = [h.by_meaning for h in response.hits]
        assert True in flags and False in flags
        assert flags == sorted(flags)  # word matches first, then meaning
        close = [h for h in response.hits if h.by_meaning]
        assert ANSWER in {h.slug for h in close}
        words = hybrid.query_words(QUERY)
        assert words == ["calmer", "querelles", "occupants", "palier"]
        wanted = {term_of(w) for w in words}
        for hit in close:
            assert list(hit.missing) == words
            assert not wanted & set(terms(_text(session, hit.slug)))
        # total counts word matches only
        assert response.total == flags.count(False)


def test_a_strong_word_answer_is_left_alone(bundled):
    with bundled.session(write=False) as session:
        response = search_practices(session, bundled.index, "gardes particuliers assermentés")
    assert not response.partial and response.hits
    assert not any(h.by_meaning for h in response.hits)


def test_off_switch(bundled, monkeypatch):
    monkeypatch.setenv("KB_MEANING", "0")
    with bundled.session(write=False) as session:
        response = search_practices(session, bundled.index, QUERY)
    assert not any(h.by_meaning for h in response.hits)


def test_filters_and_later_pages_get_no_meaning_results(bundled):
    with bundled.session(write=False) as session:
        filtered = search_practices(session, bundled.index, QUERY,
                                    {"theme": ["tranquillite-residentielle"]})
        later = search_practices(session, bundled.index, QUERY, offset=10)
    assert not any(h.by_meaning for h in filtered.hits + later.hits)


def test_api_json_keeps_its_keys_and_adds_by_meaning(client):
    data = client.get("/api/v1/search", query_string={"q": QUERY}).get_json()
    assert {"total", "results", "facets", "suggestion", "partial", "missing_terms"} <= set(data)
    close = [r for r in data["results"] if r["by_meaning"]]
    assert close and all(r["missing_terms"] == ["calmer", "querelles", "occupants", "palier"]
                         for r in close)
    assert [r["by_meaning"] for r in data["results"]] == sorted(
        r["by_meaning"] for r in data["results"])
    assert data["total"] == len(data["results"]) - len(close)


@pytest.mark.parametrize(("lang", "heading"), [("fr", "Pratiques proches par le sens"),
                                                ("en", "Related by meaning")])
def test_search_page_shows_them_under_their_own_heading_after_the_results(client, lang, heading):
    page = client.get("/recherche", query_string={"q": QUERY, "lang": lang}).get_data(as_text=True)
    assert heading in page
    words_block, meaning_block = page.split(heading, 1)
    assert ANSWER in meaning_block and ANSWER not in words_block
    assert len(re.findall(r'class="result"', words_block)) >= 1


def test_kb_search_prints_them_under_the_heading(bundled):
    from click.testing import CliRunner

    from kb.cli import main

    env = {"KB_DATABASE_URL": bundled.settings.database_url,
           "KB_INDEX_DIR": str(bundled.settings.index_dir)}
    out = CliRunner().invoke(main, ["search", QUERY], env=env, catch_exceptions=False).output
    words_part, meaning_part = out.split("Pratiques proches par le sens", 1)
    assert f"[{ANSWER}]" in meaning_part and f"[{ANSWER}]" not in words_part


def test_word_matches_on_later_pages_are_never_offered_as_found_by_meaning(bundled):
    with bundled.session(write=False) as session:
        everything = search_practices(session, bundled.index, QUERY, limit=50)
        word_matches = {h.slug for h in everything.hits if not h.by_meaning}
        first = search_practices(session, bundled.index, QUERY, limit=1)
        assert first.total > len([h for h in first.hits if not h.by_meaning])
        close = [h for h in first.hits if h.by_meaning]
        assert close and not word_matches & {h.slug for h in close}
        wanted = {term_of(w) for w in hybrid.query_words(QUERY)}
        assert all(not wanted & set(terms(_text(session, h.slug))) for h in close)
