"""Paraphrase and outcome queries (judgments_meaning.py): the meaning layer's own subset.

Each query shares no index term with its grade-2 answers (checked below), so the
lexical engine alone cannot rank them; the threshold is this subset's own.
Run with ``-s`` to see lexical-only and hybrid figures side by side.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb.config import ROOT, Settings
from kb.corpus.frontmatter import split
from kb.search.analysis import terms
from kb.services.search import search_practices
from tests.relevance.judgments_meaning import PARAPHRASE
from tests.relevance.metrics import ndcg_at, precision_at

# Measured on the bundled corpus of 52 sheets (docs/benchmarks.md): lexical alone P@5
# 0.017, nDCG@10 0.020; hybrid 0.276, 0.226. On the 109 sheets of issue 28: lexical
# 0.050, 0.067; hybrid 0.092, 0.191: more sheets hold one word of a paraphrase, and
# results found by meaning come after every word match of the first page, as promised,
# which caps these figures. The thresholds are today's, with a little margin, and the
# gain over the words alone must hold.
HYBRID_P5_MIN = 0.08
HYBRID_NDCG10_MIN = 0.16
NDCG10_GAIN_MIN = 0.08


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    from kb.runtime import Runtime
    from kb.services import meaning
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    tmp: Path = tmp_path_factory.mktemp("paraphrase")
    rt = Runtime.open(Settings(database_url=f"sqlite:///{tmp / 'kb.sqlite'}",
                               index_dir=tmp / "index", corpus_dir=ROOT / "practices"))
    rt.upgrade()
    with rt.session() as session:
        import_folder(session, ROOT / "practices")
        meaning.embed_missing(session)
    with rt.session(write=False) as session:
        rebuild_index(session, rt.index)

    def run(text: str, on: bool) -> list[str]:
        before = os.environ.get("KB_MEANING")
        os.environ["KB_MEANING"] = "1" if on else "0"
        try:
            with rt.session(write=False) as session:
                return [h.slug for h in search_practices(session, rt.index, text, limit=10).hits]
        finally:
            if before is None:
                del os.environ["KB_MEANING"]
            else:
                os.environ["KB_MEANING"] = before

    yield run
    rt.close()


def _scores(run, on: bool) -> tuple[float, float]:
    p5s, ndcgs = [], []
    for query, judged in PARAPHRASE:
        found = run(query, on)
        p5s.append(precision_at(found, judged))
        ndcgs.append(ndcg_at(found, judged))
    return sum(p5s) / len(p5s), sum(ndcgs) / len(ndcgs)


def test_the_queries_share_no_word_with_their_answers():
    assert len(PARAPHRASE) >= 10
    for query, judged in PARAPHRASE:
        asked = set(terms(query))
        for slug, grade in judged.items():
            if grade == 2:
                text = (ROOT / "practices" / f"{slug}.md").read_text(encoding="utf-8")
                assert split(text, slug)  # a real sheet
                assert not asked & set(terms(text)), (query, slug)


def test_paraphrase_and_outcome_queries(ranked):
    lexical = _scores(ranked, on=False)
    hybrid = _scores(ranked, on=True)
    print(f"\nparaphrase/outcome ({len(PARAPHRASE)} queries): lexical P@5 = {lexical[0]:.3f}, "
          f"nDCG@10 = {lexical[1]:.3f}; hybrid P@5 = {hybrid[0]:.3f}, nDCG@10 = {hybrid[1]:.3f}")
    assert hybrid[0] >= HYBRID_P5_MIN and hybrid[1] >= HYBRID_NDCG10_MIN
    assert hybrid[0] > lexical[0] and hybrid[1] >= lexical[1] + NDCG10_GAIN_MIN
