"""Fixtures for contribution and moderation: the bundled corpus, a real database and index.

The bundled corpus (practices/, some fifty practices) is used rather than the two-practice
fixture corpus: duplicate hints weigh words by how few practices use them,
which needs more than two practices to mean anything.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from .support import BUNDLED, PASSWORD, login


@pytest.fixture(scope="session")
def bundled_template(tmp_path_factory):
    """The bundled corpus imported and indexed once; each test gets a copy."""
    from kb.config import Settings
    from kb.runtime import Runtime

    folder = tmp_path_factory.mktemp("bundled")
    runtime = Runtime.open(Settings(database_url=f"sqlite:///{folder / 'kb.sqlite'}",
                                    index_dir=folder / "index", corpus_dir=BUNDLED))
    runtime.upgrade()
    _import_bundled(runtime)
    runtime.close()
    with sqlite3.connect(folder / "kb.sqlite") as connection:  # fold the WAL into the file
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return folder


def _import_bundled(runtime) -> None:
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    with runtime.session() as session:
        import_folder(session, BUNDLED)
    with runtime.session(write=False) as session:
        rebuild_index(session, runtime.index)


@pytest.fixture
def runtime(settings, request):
    """This test's own database and index, holding the bundled corpus.

    On SQLite, a copy of a template built once per session; on PostgreSQL (the
    suite's second run) a fresh database, imported for this test.
    """
    from kb.runtime import Runtime

    if settings.database_url.startswith("sqlite:///"):
        template = request.getfixturevalue("bundled_template")
        shutil.copy(template / "kb.sqlite", settings.database_url.removeprefix("sqlite:///"))
        shutil.copytree(template / "index", settings.index_dir)
        rt = Runtime.open(settings)
    else:
        rt = Runtime.open(settings)
        rt.upgrade()
        _import_bundled(rt)
    yield rt
    rt.close()


@pytest.fixture
def bundled_runtime(runtime):
    return runtime


@pytest.fixture
def app_config() -> dict:
    return {"TESTING": True, "SECRET_KEY": "test"}


@pytest.fixture
def app(bundled_runtime, app_config):
    from kb import create_app

    return create_app(app_config, runtime=bundled_runtime)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def moderator(bundled_runtime):
    """A moderator account: (id, e-mail, password)."""
    from kb.services.contributions.moderators import add_moderator

    with bundled_runtime.session() as session:
        account = add_moderator(session, "coordination@reseau.example", PASSWORD)
        return account.id, account.email, PASSWORD


@pytest.fixture
def mod_client(app, moderator):
    """A second browser, logged in as the moderator."""
    browser = app.test_client()
    response = login(browser, moderator[1], moderator[2])
    assert response.status_code == 303
    return browser
