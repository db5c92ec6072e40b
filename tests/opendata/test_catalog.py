"""The DCAT catalogue /api/v1/catalog.jsonld, read as RDF by rdflib (as a harvester would)."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF
from sqlalchemy import func, select

from kb.models import Practice, PracticeTheme, Theme

# rdflib 7's own JSON-LD parser builds a ConjunctiveGraph and warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

BASE = "http://localhost"
LO = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
EU = Namespace("http://publications.europa.eu/resource/authority/")


def _graph(client) -> Graph:
    response = client.get("/api/v1/catalog.jsonld")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    # No remote context: rdflib must not need the network to read it.
    assert isinstance(response.get_json()["@context"], dict)
    return Graph().parse(data=response.data, format="json-ld")


def _datasets(graph: Graph) -> dict[str, URIRef]:
    return {str(graph.value(d, DCTERMS.title)): d for d in graph.subjects(RDF.type, DCAT.Dataset)}


def test_catalog_with_two_datasets_licence_and_languages(client):
    graph = _graph(client)
    catalog = URIRef(BASE + "/api/v1/catalog.jsonld")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert set(graph.objects(catalog, DCAT.dataset)) == set(_datasets(graph).values())
    assert set(_datasets(graph)) == {"Pratiques du logement social", "Rendez-vous"}
    assert (catalog, DCTERMS.license, LO) in graph
    assert set(graph.objects(catalog, DCTERMS.language)) == {EU["language/FRA"], EU["language/ENG"]}
    assert graph.value(catalog, FOAF.homepage) == URIRef(BASE + "/")


def test_no_publisher_is_invented_when_none_is_configured(client):
    assert not list(_graph(client).triples((None, DCTERMS.publisher, None)))


@pytest.fixture
def configured_app(loaded_runtime):
    from kb import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "test", "PUBLISHER": "Réseau Exemple (synthétique)",
                       "BASE_URL": "https://kb.example.org/base"}, runtime=loaded_runtime)


def test_publisher_and_absolute_urls_from_configuration(configured_app):
    client = configured_app.test_client()
    response = client.get("/api/v1/catalog.jsonld")
    graph = Graph().parse(data=response.data, format="json-ld")
    catalog = URIRef("https://kb.example.org/base/api/v1/catalog.jsonld")
    agent = graph.value(catalog, DCTERMS.publisher)
    assert graph.value(agent, FOAF.name) == Literal("Réseau Exemple (synthétique)")
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        assert graph.value(dataset, DCTERMS.publisher) == agent
    urls = {o for _s, p, o in graph if isinstance(o, URIRef) and p != RDF.type
            if not str(o).startswith(("http://publications.europa.eu/", "https://www.etalab.gouv.fr/",
                                      "https://www.iana.org/"))}
    assert urls and all(str(u).startswith("https://kb.example.org/base/") for u in urls), urls


def test_practices_dataset_fields_the_harvester_maps(client, loaded_runtime):
    graph = _graph(client)
    practices = _datasets(graph)["Pratiques du logement social"]
    with loaded_runtime.session(write=False) as session:
        first, last = session.execute(select(func.min(Practice.created_at), func.max(Practice.updated_at))
                                      .where(Practice.published.is_(True))).one()
        used = set(session.scalars(select(Theme.label).join(PracticeTheme).join(Practice)
                                   .where(Practice.published.is_(True))))
        count = session.scalar(select(func.count(Practice.id)).where(Practice.published.is_(True)))
    assert graph.value(practices, DCTERMS.modified).toPython() == last.replace(
        microsecond=0, tzinfo=dt.UTC)
    assert graph.value(practices, DCTERMS.issued).toPython() == first.replace(
        microsecond=0, tzinfo=dt.UTC)
    assert {str(k) for k in graph.objects(practices, DCAT.keyword)} == used
    assert f"Les {count} pratiques" in str(graph.value(practices, DCTERMS.description))
    assert (practices, DCTERMS.license, LO) in graph
    formats = {}
    for dist in graph.objects(practices, DCAT.distribution):
        assert (dist, RDF.type, DCAT.Distribution) in graph
        assert graph.value(dist, DCTERMS.title) and graph.value(dist, DCAT.accessURL)
        formats[graph.value(dist, DCTERMS.format)] = dist
    assert set(formats) == {EU["file-type/CSV"], EU["file-type/JSON"], EU["file-type/ATOM"]}
    csv = formats[EU["file-type/CSV"]]
    assert graph.value(csv, DCAT.downloadURL) == URIRef(BASE + "/recherche.csv")
    assert graph.value(csv, DCTERMS.conformsTo) == URIRef(BASE + "/schema/pratiques.json")


def test_every_distribution_url_answers(client):
    graph = _graph(client)
    for dist in graph.subjects(RDF.type, DCAT.Distribution):
        url = str(graph.value(dist, DCAT.accessURL))
        response = client.get(url.removeprefix(BASE))
        assert response.status_code == 200, url
        media = str(graph.value(dist, DCAT.mediaType)).rsplit("/", 2)
        assert response.mimetype == f"{media[-2]}/{media[-1]}", url
        schema = graph.value(dist, DCTERMS.conformsTo)
        if schema is not None:
            assert client.get(str(schema).removeprefix(BASE)).status_code == 200


def test_rendez_vous_dataset(client):
    graph = _graph(client)
    events = _datasets(graph)["Rendez-vous"]
    formats = {graph.value(d, DCTERMS.format) for d in graph.objects(events, DCAT.distribution)}
    assert formats == {EU["file-type/JSON"], EU["file-type/ICS"]}
    # Rendez-vous have no change time in the database: none is stated.
    assert graph.value(events, DCTERMS.modified) is None
