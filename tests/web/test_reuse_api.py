"""/api/v1: shapes, filters, limits, errors, and the OpenAPI document matching the routes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.search import FACETS
from kb.services.search import response_json, search_practices

SUMMARY_KEYS = {"slug", "title", "summary", "themes", "landlords", "cities", "url"}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """Only the two synthetic fixture practices, so counts below are exact."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES, target)
    return target


def test_practices_lists_every_published_practice_with_summaries(client):
    data = client.get("/api/v1/practices").get_json()
    assert data["total"] == 2
    assert [p["slug"] for p in data["items"]] == ["beta-insertion", "alpha-mediation"]  # by title
    for item in data["items"]:
        assert item.keys() >= SUMMARY_KEYS
        assert item["url"] == f"http://localhost/pratiques/{item['slug']}"
    beta = data["items"][0]
    assert [c["slug"] for c in beta["cities"]] == ["saint-etienne", "rouen"]
    assert beta["landlords"] == [{"slug": "office-test-habitat", "label": "Office Test Habitat"}]


def test_practices_filters_combine_or_within_and_across(client):
    def slugs(query: str) -> list[str]:
        return sorted(p["slug"] for p in client.get(f"/api/v1/practices?{query}").get_json()["items"])

    assert slugs("city=rouen") == ["beta-insertion"]
    assert slugs("city=rouen&city=saint-etienne") == ["alpha-mediation", "beta-insertion"]
    assert slugs("city=saint-etienne&status=en-cours") == ["alpha-mediation"]
    assert slugs("theme=Insertion%20et%20emploi&landlord=OTH") == ["beta-insertion"]
    assert slugs("year=2021&city=rouen") == []
    assert slugs("q=m%C3%A9diation") == ["alpha-mediation"]


def test_practices_limit_offset_and_sort(client):
    page = client.get("/api/v1/practices?limit=1&offset=1&sort=title").get_json()
    assert page["total"] == 2 and page["limit"] == 1 and page["offset"] == 1
    assert [p["slug"] for p in page["items"]] == ["alpha-mediation"]
    assert client.get("/api/v1/practices?limit=200").status_code == 200


@pytest.mark.parametrize("query", [
    "limit=0", "limit=201", "limit=abc", "limit=1.5", "limit=", "offset=-1", "offset=10001",
    "sort=random", "status=draft", "evidence=forte", "year=deux-mille", "year=1800",
    "q=" + "x" * 201, "theme=" + "x" * 201, "&".join(["city=rouen"] * 21),
])
def test_bad_parameters_answer_400_with_a_french_json_error(client, query):
    for path in ("/api/v1/practices", "/api/v1/search"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert response.is_json and response.get_json()["error"]


def test_api_errors_are_french_and_english_for_a_client_that_asks(client):
    french = client.get("/api/v1/search?limit=abc").get_json()["error"]
    assert french == "Le paramètre « limit » doit être un nombre entier."
    for headers, query in (({"Accept-Language": "en"}, ""), ({}, "&lang=en")):
        def error(path: str, headers: dict = headers, query: str = query) -> str:
            return client.get(path + query, headers=headers).get_json()["error"]

        assert error("/api/v1/search?limit=abc") == "The parameter “limit” must be a whole number."
        assert error("/api/v1/search?sort=random") == (
            "Unknown value for “sort”: expected relevance, recent, title.")
        assert error("/api/v1/practices?offset=-1") == (
            "The parameter “offset” must be between 0 and 10000.")
        assert error("/api/v1/practices/nope?x=1") == "Practice not found."
        assert error("/api/v1/rendez-vous/nope?x=1") == "Rendez-vous not found."
        client.delete_cookie("kb_lang")


def test_one_practice_has_every_field_of_the_file(client):
    data = client.get("/api/v1/practices/alpha-mediation").get_json()
    for key in ("slug", "title", "summary", "themes", "landlords", "partners", "cities", "districts",
                "audiences", "status", "started", "ended", "evidence", "inspired_by", "sources",
                "contact", "licence", "last_verified", "body", "body_html", "url"):
        assert key in data, key
    assert data["partners"] == [{"slug": "association-exemple", "label": "Association Exemple",
                                 "role": "médiation"}]
    assert data["status"] == {"slug": "en-cours", "label": "en cours"}
    assert data["sources"][0]["url"] == "https://example.org/doc"
    assert data["last_verified"] == "2025-01-02"
    assert data["body"].startswith("## Contexte")
    assert "<h2>Contexte</h2>" in data["body_html"]


def test_practice_lists_its_rendez_vous_and_inspirations(client):
    data = client.get("/api/v1/practices/beta-insertion").get_json()
    assert data["inspired_by"] == ["alpha-mediation"]
    assert [e["slug"] for e in data["rendez_vous"]] == ["rencontre-test"]


@pytest.mark.parametrize("path", [
    "/api/v1/practices/nope", "/api/v1/practices/NOPE", "/api/v1/practices/a..b",
    "/api/v1/rendez-vous/nope", "/api/v1/rendez-vous/-x", "/api/v1/inconnu", "/api/v1/practices/x/y",
])
def test_unknown_things_answer_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]


def test_search_is_exactly_the_shape_of_kb_search_json(client, loaded_runtime):
    data = client.get("/api/v1/search?q=synth%C3%A9tique&city=saint-etienne&limit=5").get_json()
    with loaded_runtime.session(write=False) as session:
        expected = response_json(search_practices(session, loaded_runtime.index, "synthétique",
                                                  {"city": ["saint-etienne"]}, limit=5))
    assert data == expected
    # The original shape, plus the fields added and documented for partial results.
    assert set(data) == {"total", "results", "facets", "suggestion", "partial", "missing_terms",
                         "expanded", "unknown_terms"}
    assert set(data["facets"]) == set(FACETS)
    assert set(data["results"][0]) == {"slug", "title", "score", "snippet", "missing_terms",
                                      "by_meaning"}


def test_facets_count_values_for_the_filters_given(client):
    data = client.get("/api/v1/facets").get_json()
    assert data["total"] == 2
    cities = {v["value"]: v["count"] for v in data["facets"]["city"]}
    assert cities == {"saint-etienne": 2, "rouen": 1}
    narrowed = client.get("/api/v1/facets?theme=insertion-et-emploi").get_json()
    assert narrowed["total"] == 1
    assert {v["value"] for v in narrowed["facets"]["landlord"]} == {"office-test-habitat"}


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch", "options"])
def test_only_get_is_allowed(client, method):
    response = getattr(client, method)("/api/v1/practices")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_rendez_vous_list_and_detail(client):
    data = client.get("/api/v1/rendez-vous").get_json()
    assert data["total"] == 1
    event = data["items"][0]
    assert event["slug"] == "rencontre-test" and event["date"] == "2025-01-14"
    assert event["practices"] == [{"slug": "beta-insertion", "title": "Chantier d’insertion (fictif)",
                                   "url": "http://localhost/pratiques/beta-insertion"}]
    detail = client.get("/api/v1/rendez-vous/rencontre-test").get_json()
    assert detail["body"].startswith("Rendez-vous inventé")
    assert detail["organisers"] == [{"slug": "association-exemple", "label": "Association Exemple"}]


# -- the OpenAPI document ---------------------------------------------------------


def _document(client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_openapi_documents_exactly_the_api_routes(app, client):
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.not_found"}
    doc = _document(client)
    assert set(doc["paths"]) == routes
    for path, item in doc["paths"].items():
        assert set(item) == {"get"}, path
        declared = {p["name"] for p in item["get"]["parameters"] if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path))


def test_openapi_document_is_valid():
    import openapi_spec_validator as validator  # a test dependency: never skipped

    from kb.web.api import openapi_document  # static: no app or database needed

    validator.validate(openapi_document())


def _check(schema: dict[str, Any], value: Any, doc: dict[str, Any], where: str) -> None:
    """A small validator of the OpenAPI 3.0 subset the document uses."""
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        for part in schema["allOf"]:
            _check(part, value, doc, where)
        return
    if value is None:
        assert schema.get("nullable"), f"{where}: null not allowed"
        return
    kinds = {"object": dict, "array": list, "string": str, "integer": int, "number": (int, float),
             "boolean": bool}
    if "type" in schema:
        assert isinstance(value, kinds[schema["type"]]), f"{where}: {value!r} is not {schema['type']}"
    if "enum" in schema:
        assert value in schema["enum"], where
    for key in schema.get("required", []):
        assert key in value, f"{where}: missing {key}"
    for key, sub in schema.get("properties", {}).items():
        if key in value:
            _check(sub, value[key], doc, f"{where}.{key}")
    if "items" in schema:
        for i, item in enumerate(value):
            _check(schema["items"], item, doc, f"{where}[{i}]")


def _bad_value(schema: dict[str, Any]) -> str:
    item = schema.get("items", schema)
    if "enum" in item:
        return "pas-une-valeur"
    if item["type"] == "integer":
        return "douze"
    return "x" * (item["maxLength"] + 1)


def _fill(path: str) -> str:
    samples = {"/api/v1/practices/{slug}": "alpha-mediation", "/api/v1/rendez-vous/{slug}": "rencontre-test"}
    return path.replace("{slug}", samples.get(path, ""))


def test_every_documented_path_answers_as_documented(client):
    doc = _document(client)
    for path, item in doc["paths"].items():
        op = item["get"]
        url = _fill(path)
        response = client.get(url)
        assert response.status_code == 200 and response.is_json, url
        ((media, content),) = op["responses"]["200"]["content"].items()  # JSON, or JSON-LD
        assert response.mimetype == media, url
        _check(content["schema"], response.get_json(), doc, path)
        if "404" in op["responses"]:
            missing = client.get(path.replace("{slug}", "inconnu"))
            assert missing.status_code == 404
            _check(op["responses"]["404"]["content"]["application/json"]["schema"],
                   missing.get_json(), doc, path + " 404")
        for param in (p for p in op["parameters"] if p["in"] == "query"):
            bad = client.get(url, query_string={param["name"]: _bad_value(param["schema"])})
            assert bad.status_code == 400, (path, param["name"])
            assert "400" in op["responses"]
            _check(op["responses"]["400"]["content"]["application/json"]["schema"], bad.get_json(),
                   doc, path + " 400")


def test_documented_enums_and_bounds_are_accepted(client):
    doc = _document(client)
    params = {p["name"]: p["schema"] for p in doc["paths"]["/api/v1/search"]["get"]["parameters"]}
    for name in ("status", "evidence"):
        for value in params[name]["items"]["enum"]:
            assert client.get("/api/v1/search", query_string={name: value}).status_code == 200
    for value in params["sort"]["enum"]:
        assert client.get("/api/v1/search", query_string={"sort": value}).status_code == 200
    limit = params["limit"]
    for value in (limit["minimum"], limit["maximum"]):
        assert client.get(f"/api/v1/practices?limit={value}").status_code == 200
    assert client.get(f"/api/v1/practices?offset={params['offset']['maximum']}").status_code == 200


_text = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(st.sampled_from(["q", *FACETS, "limit", "offset", "sort", "x"]), _text),
                      max_size=6))
def test_no_query_string_makes_the_api_fail(client, pairs):
    for path in ("/api/v1/search", "/api/v1/practices", "/api/v1/facets"):
        response = client.get(path, query_string=pairs)
        assert response.status_code in (200, 400)
        assert response.is_json
