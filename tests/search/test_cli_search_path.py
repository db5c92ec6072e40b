"""``kb search`` reads the embedded SQLite base without SQLAlchemy while the index is
current, gives what the services give, and catches up through the database layer."""

from __future__ import annotations

import json

import pytest

from kb.runtime import Runtime
from kb.services.search import response_json, search_practices
from tests.conftest import ON_POSTGRES
from tests.test_cli import _run_python
from tests.test_index_sync import publish

SEARCH = """
import sys
from kb.cli import main
try:
    main(['search', '--json', {query!r}], prog_name='kb')
except SystemExit as exit:
    assert not exit.code, exit.code
print("SQLALCHEMY", "sqlalchemy" in sys.modules)
"""


def _search(env: dict[str, str], query: str) -> tuple[list[str], bool]:
    data, loaded = _run_python(SEARCH.format(query=query), env).splitlines()
    return [r["slug"] for r in json.loads(data)["results"]], loaded == "SQLALCHEMY True"


def test_kb_search_skips_sqlalchemy_while_the_index_is_current_and_catches_up_with_it(
        runner, env, settings):
    runner("init")
    slugs, loaded = _search(env, "tranquillité résidentielle")
    assert "equipe-mobile-tranquillite-residentielle-3f" in slugs
    # The lightweight path is SQLite's; a server database always goes through SQLAlchemy.
    assert loaded is ON_POSTGRES
    # Another kb process publishes a practice: the database's change log says so, and
    # this index has not seen it yet.
    other = Runtime.open(settings)
    try:
        publish(other, "pratique-zanzibar", "zanzibar")
    finally:
        other.close()
    slugs, loaded = _search(env, "zanzibar")
    assert slugs == ["pratique-zanzibar"] and loaded  # caught up through the database layer
    slugs, loaded = _search(env, "zanzibar")
    assert slugs == ["pratique-zanzibar"] and loaded is ON_POSTGRES  # current again


@pytest.mark.parametrize(("text", "filters", "options"), [
    ("jeunes", {}, []),
    ("", {"landlord": ["I3F"]}, ["--landlord", "I3F"]),
    ("médiation", {"city": ["rouen"], "theme": ["mediation et lien social"]},
     ["--city", "rouen", "--theme", "mediation et lien social"]),
    ("CMP", {"audience": ["Jeunes"]}, ["--audience", "Jeunes"]),
    ("squat emploi", {"partner": ["grajar"]}, ["--partner", "grajar"]),
])
def test_kb_search_gives_what_the_services_give(runner, runtime, text, filters, options):
    runner("init")
    with runtime.session(write=False) as session:
        expected = response_json(search_practices(session, runtime.index, text, filters))
    assert json.loads(runner("search", "--json", *options, text).output) == expected


def test_the_plain_statements_name_tables_of_the_models():
    from kb.models import Base
    from kb.services import search_reads

    assert set(search_reads.TABLES) <= set(Base.metadata.tables)
