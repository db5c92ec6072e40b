"""Searching the synthetic fixture corpus: relevance rules, facets, snippets, suggestions."""

from __future__ import annotations

import pytest

from kb.search import FACETS, SearchQuery, response_to_json


def slugs(index, text, **kw):
    return [h.slug for h in index.search(SearchQuery(text, limit=50, **kw)).hits]


@pytest.mark.parametrize(("query", "expected"), [
    ("tranquillite", "mediation-nuit"),
    ("oeuvre", "mediation-nuit"),
    ("coeur", "mediation-nuit"),
    ("d'insertion", "chantiers-educatifs"),
    ("d’insertion", "chantiers-educatifs"),
    ("insertion", "chantiers-educatifs"),
    ("expulsion", "prevention-expulsions"),
    ("locatif", "prevention-expulsions"),
    ("seine saint denis", "uni-voisins"),
    ("uni voisins", "uni-voisins"),
    ("univoisins", "uni-voisins"),
    ("Uni’Voisins", "uni-voisins"),
    ("QPV", "mediation-nuit"),
    ("ccapex", "prevention-expulsions"),
    ("FSL", "prevention-expulsions"),
    ("TZNR", "insertion-emploi-tznr"),
    ("ACI", "chantiers-educatifs"),
    ("18ème", "chantiers-educatifs"),
    ("18eme", "chantiers-educatifs"),
    ("I3F emploi", "insertion-emploi-tznr"),
    ("paris habitat", "mediation-nuit"),
    ("goutte d'or", "mediation-nuit"),
])
def test_query_finds_practice(index, query, expected):
    assert expected in slugs(index, query)


def test_unrelated_words_do_not_match(index):
    assert "prevention-expulsions" not in slugs(index, "loi")  # "loyer" is not "loi"
    assert "loi-education" not in slugs(index, "CAF")  # "café" is not "CAF"
    full = [h.slug for h in index.search(SearchQuery("éducatifs loi")).hits if not h.missing]
    assert "chantiers-educatifs" not in full  # "éducateurs" is not "éducatifs"


def test_full_matches_come_first_then_partial_ones_say_what_they_lack(index):
    r = index.search(SearchQuery("jeunes rouen"))
    assert r.hits[0].slug == "insertion-emploi-tznr" and r.hits[0].missing == ()
    # One practice holds both words: the banner "no practice holds every word" would lie.
    assert not r.partial and all(h.missing for h in r.hits[1:])
    assert {h.missing for h in r.hits[1:]} <= {("jeunes",), ("rouen",)}


def test_title_outranks_body(index):
    # "emploi" is in the title of one practice and only in the body/themes of others.
    assert slugs(index, "emploi")[0] == "insertion-emploi-tznr"


def test_quoted_phrase_requires_adjacent_words(index):
    assert slugs(index, '"mise en œuvre"') == ["mediation-nuit"]
    assert slugs(index, '"œuvre mise"') == []
    assert "loi-education" in slugs(index, "œuvre")


def test_minus_excludes_a_word(index):
    found = slugs(index, "jeunes -rouen")
    assert "chantiers-educatifs" in found and "insertion-emploi-tznr" not in found


def test_snippet_marks_matching_words_and_is_escaped(index):
    hit = index.search(SearchQuery("incivilités")).hits[0]
    assert "<mark>incivilités</mark>" in hit.snippet
    assert "**" not in hit.snippet  # Markdown stripped
    hit = index.search(SearchQuery("insertion")).hits[0]
    assert "&#x27;" in hit.snippet or "’" in hit.snippet or "<mark>" in hit.snippet
    assert "<mark>" in hit.snippet and "<script" not in hit.snippet


def test_empty_query_browses_everything_by_title_with_summary_snippets(index):
    r = index.search(SearchQuery("", limit=50))
    assert r.total == 6
    titles = [h.title for h in r.hits]
    assert titles[0] == "Chantiers éducatifs rémunérés"
    assert r.hits[0].snippet.startswith("Des éducateurs")
    assert set(r.facets) == set(FACETS)


def test_sort_recent_and_title(index):
    assert slugs(index, "", sort="recent")[0] == "insertion-emploi-tznr"
    assert slugs(index, "jeunes", sort="title") == ["chantiers-educatifs", "insertion-emploi-tznr"]


def test_facet_counts_and_labels(index):
    r = index.search(SearchQuery(""))
    themes = {f.value: (f.label, f.count) for f in r.facets["theme"]}
    assert themes["tranquillite-residentielle"] == ("Tranquillité résidentielle", 3)
    assert themes["insertion-par-l-emploi"] == ("Insertion par l’emploi", 3)
    years = {f.value: f.count for f in r.facets["year"]}
    assert years == {"2018": 2, "2019": 1, "2021": 1, "2022": 1, "2023": 1}
    assert [f.value for f in r.facets["status"]] == ["en-cours", "terminee"]


def test_filters_or_within_a_facet_and_across_facets(index):
    r = index.search(SearchQuery("", filters={"city": ("paris", "seine-saint-denis")}))
    assert r.total == 3
    r = index.search(SearchQuery("", filters={"city": ("rouen",), "status": ("en-cours",)}))
    assert {h.slug for h in r.hits} == {"prevention-expulsions", "insertion-emploi-tznr"}


def test_facet_counts_ignore_their_own_filter(index):
    r = index.search(SearchQuery("", filters={"city": ("rouen",), "status": ("terminee",)}))
    assert r.total == 1
    cities = {f.value: f.count for f in r.facets["city"]}
    assert cities == {"paris": 1, "rouen": 1}  # status=terminee applied, city filter not
    status = {f.value: f.count for f in r.facets["status"]}
    assert status == {"en-cours": 2, "terminee": 1}  # city=rouen applied
    themes = {f.value: f.count for f in r.facets["theme"]}
    assert themes == {"insertion-par-l-emploi": 1}  # both filters applied


def test_unknown_filter_value_matches_nothing(index):
    assert index.search(SearchQuery("", filters={"city": ("atlantis",)})).total == 0


def test_typo_is_retried_fuzzy_and_suggested(index):
    r = index.search(SearchQuery("incivilites"))
    assert r.total == 1 and r.suggestion is None
    r = index.search(SearchQuery("tranquilité"))  # good results: no "did you mean"
    assert r.total >= 1 and r.suggestion is None
    # Doubled letters are squashed by the stemmer: the slip already finds what the
    # right spelling finds, so a suggestion would find no more practices.
    r = index.search(SearchQuery("acompagnement"))
    assert r.total == 1 and r.suggestion is None
    r = index.search(SearchQuery("acompagnemant"))
    assert r.suggestion == "accompagnement"
    r = index.search(SearchQuery("médiaton"))  # one edit: found by the fuzzy retry
    assert "mediation-nuit" in [h.slug for h in r.hits]
    assert r.suggestion == "médiation"
    r = index.search(SearchQuery("médiatoin"))  # two edits: suggested only
    assert r.suggestion == "médiation"


def test_suggestion_is_the_whole_corrected_query(index):
    r = index.search(SearchQuery("jeunes acompagnemant"))
    assert r.suggestion == "jeunes accompagnement"


def test_more_like_and_suggest_similar(index):
    related = [h.slug for h in index.more_like("chantiers-educatifs")]
    assert "chantiers-educatifs" not in related and "insertion-emploi-tznr" in related
    similar = index.suggest_similar("Médiation de nuit", "Des médiateurs la nuit dans les halls")
    assert similar[0].slug == "mediation-nuit"
    assert index.more_like("no-such-practice") == []


def test_json_shape(index):
    data = response_to_json(index.search(SearchQuery("jeunes")))
    assert set(data) == {"total", "results", "facets", "suggestion", "partial", "missing_terms",
                         "expanded", "unknown_terms"}
    assert set(data["results"][0]) == {"slug", "title", "score", "snippet", "missing_terms"}
    assert set(data["facets"]["theme"][0]) == {"value", "label", "count"}


def test_limit_and_offset(index):
    everything = slugs(index, "")
    r = index.search(SearchQuery("", limit=2, offset=2))
    assert [h.slug for h in r.hits] == everything[2:4] and r.total == 6
    assert len(index.search(SearchQuery("", limit=300)).hits) == 6


def test_suggestion_restores_the_accents_of_every_word(index):
    r = index.search(SearchQuery("trnaquillite residentielle"))
    assert r.suggestion == "tranquillité résidentielle"


def test_no_suggestion_over_good_results(index):
    assert index.search(SearchQuery("tranquillite residentielle")).suggestion is None
