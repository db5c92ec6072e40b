"""A generous guard on module size: a module of kb/ (migrations excepted) past 600 lines.

Size is a hint to look, not a rule: a module holds one concept. This guard only
catches a module that has clearly grown a second one; it is not a reason to split a
concept in two.
"""

from __future__ import annotations

import pytest

from kb.config import ROOT

PACKAGE = ROOT / "kb"
MAX_LINES = 600


def where(path) -> str:
    return path.relative_to(PACKAGE).as_posix()


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def line_count(path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("path", MODULES, ids=where)
def test_module_is_at_most_600_lines(path):
    assert line_count(path) <= MAX_LINES, (
        f"kb/{where(path)} has {line_count(path)} lines (guard {MAX_LINES}): look for a second concept")
