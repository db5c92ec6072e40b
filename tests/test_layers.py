"""Dependencies point one way: only the factory, kb/web and the CLI know Flask;
only kb/search knows Whoosh; nothing imports the web layer."""

from __future__ import annotations

import ast

import pytest

from kb.config import ROOT

PACKAGE = ROOT / "kb"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def imported(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def where(path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=where)
def test_flask_stays_in_the_web_layer(path):
    if where(path).startswith("web/") or where(path) in ("__init__.py", "cli.py"):
        return
    assert not any(n == "flask" or n.startswith(("flask.", "flask_")) for n in imported(path))


@pytest.mark.parametrize("path", MODULES, ids=where)
def test_whoosh_stays_in_the_search_package(path):
    if where(path).startswith("search/"):
        return
    assert not any(n == "whoosh" or n.startswith("whoosh.") for n in imported(path))


@pytest.mark.parametrize("path", MODULES, ids=where)
def test_nothing_below_the_web_layer_imports_it(path):
    if where(path).startswith("web/") or where(path) in ("__init__.py", "cli.py"):
        return
    assert not any(n == "kb.web" or n.startswith("kb.web.") for n in imported(path))
