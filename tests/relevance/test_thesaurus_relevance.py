"""Synonym queries over the bundled corpus, with the bundled thesaurus: P@5 and nDCG@10.

Its own thresholds (not averaged with the other sets), and the same queries
without the thesaurus must score clearly lower: the subset measures the
thesaurus, not words the write-ups already share with the queries.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.config import ROOT, Settings
from kb.search import SearchQuery
from kb.services.search import search_practices
from tests.relevance.metrics import ndcg_at, precision_at
from tests.relevance.thesaurus_judgments import THESAURUS

P5_MIN = 0.80
NDCG10_MIN = 0.85
GAIN_MIN = 0.25  # nDCG@10 with the thesaurus minus without it, at least


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    from kb.runtime import Runtime
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    tmp: Path = tmp_path_factory.mktemp("thesaurus-relevance")
    rt = Runtime.open(Settings(database_url=f"sqlite:///{tmp / 'kb.db'}",
                               index_dir=tmp / "index", corpus_dir=ROOT / "practices"))
    rt.upgrade()
    with rt.session() as session:
        report = import_folder(session, ROOT / "practices")
    assert not report.errors
    with rt.session(write=False) as session:
        rebuild_index(session, rt.index)
    yield rt
    rt.close()


def _scores(ranked) -> tuple[float, float]:
    p5s, ndcgs = [], []
    for query, judged in THESAURUS:
        found = ranked(query)
        p5s.append(precision_at(found, judged))
        ndcgs.append(ndcg_at(found, judged))
    return sum(p5s) / len(p5s), sum(ndcgs) / len(ndcgs)


def test_synonym_queries_find_the_write_ups_through_the_thesaurus(bundled):
    assert len(THESAURUS) >= 10

    def widened(text: str) -> list[str]:
        with bundled.session(write=False) as session:  # the real path: thesaurus read from the base
            return [h.slug for h in search_practices(session, bundled.index, text, limit=10).hits]

    def plain(text: str) -> list[str]:
        return [h.slug for h in bundled.index.search(SearchQuery(text, limit=10)).hits]

    p5, ndcg = _scores(widened)
    p5_plain, ndcg_plain = _scores(plain)
    print(f"\nthesaurus subset: {len(THESAURUS)} queries, P@5 = {p5:.3f}, nDCG@10 = {ndcg:.3f}"
          f" (without the thesaurus: P@5 = {p5_plain:.3f}, nDCG@10 = {ndcg_plain:.3f})")
    assert p5 >= P5_MIN and ndcg >= NDCG10_MIN
    assert ndcg - ndcg_plain >= GAIN_MIN
