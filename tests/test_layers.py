"""Dependencies point one way: only the factory, kb/web and the CLI know Flask;
only kb/search knows Whoosh; nothing imports the web layer; kb/corpus reads and
checks files without any database code; kb/web runs no SQL of its own (it calls
services and storage)."""

from __future__ import annotations

import ast

import pytest

from kb.config import ROOT

PACKAGE = ROOT / "kb"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)
# Parsed once, at collection: CPython 3.11.7's ast.parse can fail with "AST constructor
# recursion depth mismatch" after earlier tests left the thread's recursion state
# changed (seen once in a full PostgreSQL run), which says nothing about kb's layers.
TREES = {p: ast.parse(p.read_text(encoding="utf-8")) for p in MODULES}


def imported(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(TREES[path]):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def where(path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=where)
def test_flask_stays_in_the_web_layer(path):
    if where(path).startswith(("web/", "cli/")) or where(path) == "__init__.py":
        return
    assert not any(n == "flask" or n.startswith(("flask.", "flask_")) for n in imported(path))


@pytest.mark.parametrize("path", MODULES, ids=where)
def test_whoosh_stays_in_the_search_package(path):
    if where(path).startswith("search/"):
        return
    assert not any(n == "whoosh" or n.startswith("whoosh.") for n in imported(path))


@pytest.mark.parametrize("path", MODULES, ids=where)
def test_nothing_below_the_web_layer_imports_it(path):
    if where(path).startswith(("web/", "cli/")) or where(path) == "__init__.py":
        return
    assert not any(n == "kb.web" or n.startswith("kb.web.") for n in imported(path))


DATABASE_MODULES = ("sqlalchemy", "alembic", "kb.models", "kb.db", "kb.storage", "kb.runtime",
                    "kb.migrations")


@pytest.mark.parametrize("path", [p for p in MODULES if where(p).startswith("corpus/")], ids=where)
def test_the_corpus_package_needs_no_database(path):
    found = {n for n in imported(path) if n.startswith(DATABASE_MODULES)}
    assert not found


# What kb/web may take from SQLAlchemy: exceptions to answer 503, and the Session type.
WEB_SQLALCHEMY = {"sqlalchemy.exc", "sqlalchemy.orm:Session"}
SQL_METHODS = {"execute", "scalar", "scalars", "query"}


def sqlalchemy_imports(path) -> set[str]:
    found = set()
    for node in ast.walk(TREES[path]):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "sqlalchemy")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            if node.module == "sqlalchemy.exc":
                found.add(node.module)
            else:
                found.update(f"{node.module}:{a.name}" for a in node.names)
    return found


def sql_calls(path) -> list[str]:
    """``x.execute(...)``, ``x.scalars(...)``...: a statement run by the module itself."""
    return [f"{node.func.attr} (line {node.lineno})"
            for node in ast.walk(TREES[path])
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_METHODS]


@pytest.mark.parametrize("path", [p for p in MODULES if where(p).startswith("web/")], ids=where)
def test_the_web_layer_runs_no_sql_of_its_own(path):
    assert sqlalchemy_imports(path) <= WEB_SQLALCHEMY
    assert not sql_calls(path)
