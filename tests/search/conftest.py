"""Fixtures of the search tests: the synthetic corpus indexed on disk in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_fixtures import CORPUS

from kb.search import SearchIndex


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    ix = SearchIndex(tmp_path / "index", writer_timeout=10)
    ix.rebuild(CORPUS)
    return ix
