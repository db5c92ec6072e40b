"""Hostile input on the search page and the search API: never a 5xx, never an unpublished practice.

Property-based (hypothesis) over random text, operator soup and oversized
inputs, 2,000 examples per route; and schemathesis against /api/v1/openapi.json.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kb.models import Practice
from kb.services.indexing import sync_index

EXAMPLES = 2000
OPERATORS = ["AND", "OR", "NOT", "*", "?", "~", "^5", ":", "\"", "(", ")", "[", "]", "{", "}",
             "TO", "-", "+", "\\", "'", "’", "status:draft", "title:", "*:*", "a*", "%", "&",
             "\x00", "\u202e", "\u200b", "l'", "d’", "<script>", "NOT AND", "--", "…"]
PARAMS = ["q", "theme", "landlord", "city", "audience", "status", "evidence", "year", "sort",
          "page", "limit", "offset", "lang"]

soup = st.lists(st.one_of(st.sampled_from(OPERATORS), st.text(max_size=12)), max_size=30).map(
    " ".join)
text = st.one_of(st.text(max_size=300), soup, st.text(min_size=1000, max_size=6000))
query_strings = st.lists(st.tuples(st.sampled_from(PARAMS), text), max_size=6)


@pytest.fixture
def hostile_app(app, loaded_runtime):
    """The fixture corpus with one practice withdrawn: it must never show."""
    with loaded_runtime.session() as session:
        practice = session.scalar(select(Practice).where(Practice.slug == "beta-insertion"))
        practice.published = False
    with loaded_runtime.session(write=False) as session:
        sync_index(session, loaded_runtime.index, ["beta-insertion"])
    return app


def check(client, path: str, params: list[tuple[str, str]]) -> None:
    # TESTING propagates exceptions: a crash in the engine fails here too.
    response = client.get(path, query_string=params)
    assert response.status_code < 500, (path, params, response.status_code)
    if path.startswith("/api/") and response.status_code == 200:
        assert {"total", "results", "facets", "suggestion"} <= set(response.get_json())
    elif path.startswith("/api/"):
        assert response.status_code in (400, 404) and response.get_json()["error"]
    body = response.get_data(as_text=True)
    assert "beta-insertion" not in body and "Chantier d’insertion (fictif)" not in body


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(params=query_strings)
def test_search_page_survives_anything(hostile_app, params):
    check(hostile_app.test_client(), "/recherche", params)


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(params=query_strings)
def test_search_api_survives_anything(hostile_app, params):
    check(hostile_app.test_client(), "/api/v1/search", params)


def test_api_conforms_to_its_openapi_document(hostile_app):
    """schemathesis, every operation: status codes, content types and bodies match the document."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", hostile_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:

        @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call_and_validate()
            assert response.status_code < 500
            assert "beta-insertion" not in response.text

        run()


def test_engine_failure_is_a_500_on_the_page_and_a_json_error_on_the_api(app, monkeypatch):
    """A bug in the engine is not dressed up as "no results": 500, logged."""

    def broken(snap, q):
        raise ZeroDivisionError("a bug in the engine")

    monkeypatch.setattr("kb.search.searching.run_search", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production
    client = app.test_client()
    page = client.get("/recherche", query_string={"q": "jeunes"})
    assert page.status_code == 500
    assert "Aucune pratique" not in page.get_data(as_text=True)
    api = client.get("/api/v1/search", query_string={"q": "jeunes"})
    assert api.status_code == 500 and api.is_json and api.get_json()["error"]


def test_refused_query_is_a_real_refusal(app):
    """Over the API's length limit: a 400 with a French reason; under it: an answer."""
    client = app.test_client()
    refused = client.get("/api/v1/search", query_string={"q": "jeunes " * 100})
    assert refused.status_code == 400 and "caractères" in refused.get_json()["error"]
    accepted = client.get("/api/v1/search", query_string={"q": "médiation"})
    assert accepted.status_code == 200 and accepted.get_json()["total"] >= 1
