"""Shared fixtures: a real SQLite database and a real index on disk, per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.config import ROOT, Settings
from kb.runtime import Runtime

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
BUNDLED = ROOT / "practices"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'kb.sqlite'}",
        index_dir=tmp_path / "index",
        corpus_dir=BUNDLED,
    )


@pytest.fixture
def runtime(settings: Settings):
    rt = Runtime.open(settings)
    rt.upgrade()
    yield rt
    rt.close()


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the synthetic fixture corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    return {
        "KB_DATABASE_URL": settings.database_url,
        "KB_INDEX_DIR": str(settings.index_dir),
        "KB_CORPUS_DIR": str(settings.corpus_dir),
    }


@pytest.fixture
def runner(env: dict[str, str]):
    """Invoke ``kb`` commands against this test's database and index."""
    from kb.cli import main

    cli = CliRunner()

    def invoke(*args: str):
        return cli.invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def loaded_runtime(runtime, corpus_dir):
    """The runtime with the synthetic fixture corpus imported and indexed."""
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    with runtime.session() as session:
        import_folder(session, corpus_dir)
    with runtime.session(write=False) as session:
        rebuild_index(session, runtime.index)
    return runtime


@pytest.fixture
def app(loaded_runtime):
    from kb import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "test"}, runtime=loaded_runtime)


@pytest.fixture
def client(app):
    return app.test_client()
