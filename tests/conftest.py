"""Shared fixtures: a real SQLite database and a real index on disk, per test."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kb.config import ROOT, Settings
from kb.runtime import Runtime

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
BUNDLED = ROOT / "practices"


# When KB_DATABASE_URL names a PostgreSQL server, every test gets a database of
# its own on it (created and dropped around the test); otherwise a SQLite file.
SERVER_URL = os.environ.get("KB_DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith("postgresql")
# scripts/test.sh says which database each pass is for (KB_TEST_DATABASE=sqlite or
# postgresql): a pass meant for PostgreSQL must not run quietly on SQLite.
EXPECTED_DATABASE = os.environ.get("KB_TEST_DATABASE", "")


def pytest_report_header() -> str:
    if ON_POSTGRES:
        return f"kb test databases: PostgreSQL server {make_url(SERVER_URL).render_as_string()}"
    return "kb test databases: SQLite files"


def pytest_sessionstart(session: pytest.Session) -> None:
    actual = "postgresql" if ON_POSTGRES else "sqlite"
    if EXPECTED_DATABASE and actual != EXPECTED_DATABASE:
        pytest.exit(
            f"KB_TEST_DATABASE={EXPECTED_DATABASE} but KB_DATABASE_URL={SERVER_URL!r} "
            f"gives {actual}: this pass would not test what it claims",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    if ON_POSTGRES:
        # Fail here, once, rather than in every test's fixture.
        engine = create_engine(SERVER_URL)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - reported, then the session stops
            pytest.exit(f"the PostgreSQL server at KB_DATABASE_URL does not answer: {exc}",
                        returncode=pytest.ExitCode.USAGE_ERROR)
        finally:
            engine.dispose()


@pytest.fixture
def database_url(tmp_path: Path):
    """A factory of fresh, empty databases for this test."""
    created: list[str] = []

    def make(name: str = "kb") -> str:
        if not ON_POSTGRES:
            return f"sqlite:///{tmp_path / (name + '.sqlite')}"
        db_name = f"kbtest_{uuid.uuid4().hex[:16]}"
        admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db_name}"'))
        admin.dispose()
        created.append(db_name)
        return make_url(SERVER_URL).set(database=db_name).render_as_string(hide_password=False)

    yield make
    if created:
        admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
        try:
            for db_name in created:
                _drop_database(admin, db_name)
        finally:
            admin.dispose()


def _drop_database(admin, db_name: str) -> None:
    """Drop a test database, waiting out an autovacuum worker busy on it.

    The test role is no superuser (scripts/postgres.sh), so FORCE may not end a
    server process that belongs to no role, such as autovacuum: it finishes
    within moments, so try again for a while before failing loudly.
    """
    from sqlalchemy.exc import DBAPIError

    for attempt in range(40):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == 39:
                raise
            time.sleep(0.25)


@pytest.fixture
def settings(tmp_path: Path, database_url) -> Settings:
    return Settings(
        database_url=database_url(),
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


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from tests.live import CHROMIUM, CHROMIUM_FLAGS

    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (KB_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# -- no silent skips under scripts/test.sh ------------------------------------------
#
# scripts/test.sh sets KB_TEST_STRICT=1: then a skipped or xfailed test fails the
# run unless its reason is listed, word for word, in tests/skip-allowlist.txt (a
# reviewed file). A plain ``pytest`` keeps skipping politely, for partial runs.

ALLOWLIST = Path(__file__).parent / "skip-allowlist.txt"
STRICT = os.environ.get("KB_TEST_STRICT") == "1"
_unlisted: list[str] = []


def allowed_reasons() -> set[str]:
    lines = ALLOWLIST.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def skip_reason(report: pytest.TestReport) -> str | None:
    """Why ``report``'s test did not really run (skip or xfail), else None."""
    if hasattr(report, "wasxfail"):
        return report.wasxfail or "xfail"
    if report.skipped and isinstance(report.longrepr, tuple):
        return report.longrepr[2].removeprefix("Skipped: ")
    return None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not STRICT:
        return
    reason = skip_reason(report)
    if reason is not None and reason not in allowed_reasons():
        _unlisted.append(f"{report.nodeid}: {reason}")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """A whole module skipped while collected (``pytest.skip(allow_module_level=True)``...)."""
    pytest_runtest_logreport(report)  # type: ignore[arg-type]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if STRICT and _unlisted:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if STRICT and _unlisted:
        terminalreporter.section("tests that did not run (reason absent from tests/skip-allowlist.txt)")
        for line in _unlisted:
            terminalreporter.write_line(line)
