"""The bulk rebuild writer (``bulk.py``) against Whoosh's own writer, document by document.

Both write the same files, byte for byte, and so answer every query the same way.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from search_fixtures import CORPUS
from whoosh import index as windex

from kb.search import FACETS, DeferredDocuments, SearchIndex, SearchQuery
from kb.search.schema import to_fields
from kb.search.store import IndexStore

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for tests.benchmarks
from tests.benchmarks.bench_search import QUERIES  # noqa: E402
from tests.benchmarks.gen_corpus import generate  # noqa: E402


def build_document_by_document(folder: Path, docs) -> None:
    """The reference: Whoosh's SegmentWriter, one ``add_document`` per practice."""
    ix = IndexStore.create_empty(folder)
    writer = ix.writer(limitmb=256)
    accents: set[str] = set()
    for doc in docs:
        writer.add_document(**to_fields(doc, accents))
    writer.commit()
    ix.close()


def segment_files(folder: Path) -> dict[str, bytes]:
    """Contents of the single segment's files, by extension (segment ids differ)."""
    ix = windex.open_dir(str(folder))
    try:
        [segment] = ix._read_toc().segments
        storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
        prefix = segment.make_filename("")
        out = {}
        for name in storage.list():
            if name.startswith(prefix):
                with storage.open_file(name) as f:
                    out[name[len(prefix):]] = f.read()
        out["doc_count"] = segment.doc_count_all()
        out["field_lengths"] = sorted(segment._fieldlengths.items())
        return out
    finally:
        ix.close()


@pytest.fixture(scope="module")
def corpus():
    return list(CORPUS) + generate(400, seed=11)


@pytest.fixture(scope="module")
def both(corpus, tmp_path_factory):
    root = Path(tmp_path_factory.mktemp("bulk"))
    fast = SearchIndex(root / "fast")
    assert fast.rebuild(corpus) == len(corpus)
    slow_dir = root / "slow"
    build_document_by_document(slow_dir / "gen-000001", corpus)
    (slow_dir / "CURRENT").write_text("gen-000001")
    return fast, SearchIndex(slow_dir)


def test_bulk_writer_writes_the_same_files(both):
    fast, slow = both
    a = segment_files(IndexStore(fast.path).current_dir())
    b = segment_files(IndexStore(slow.path).current_dir())
    assert sorted(a) == sorted(b)
    for key in a:
        assert a[key] == b[key], key


QUERIES_PLUS = QUERIES + [
    ("uni'voisins", {}), ("ccapex", {}), ('"seine saint denis habitat"', {}),
    ("tranquilite", {}), ("médiation -nuit", {}), ("", {"year": ("2019",)}),
]


def assert_same_answers(first: SearchIndex, second: SearchIndex, text: str, filters: dict,
                        sorts: tuple[str, ...], exact_scores: bool = True) -> None:
    """Same totals, top 10, scores, suggestion and facet counts from both indexes."""
    for sort in sorts:
        q = SearchQuery(text, filters=filters, sort=sort)
        a, b = first.search(q), second.search(q)
        assert a.total == b.total
        assert [h.slug for h in a.hits] == [h.slug for h in b.hits]
        scores = [h.score for h in b.hits]
        assert [h.score for h in a.hits] == (scores if exact_scores else pytest.approx(scores))
        assert a.suggestion == b.suggestion
        for facet in FACETS:
            assert [(c.value, c.count) for c in a.facets[facet]] == \
                [(c.value, c.count) for c in b.facets[facet]]


@pytest.mark.parametrize(("text", "filters"), QUERIES_PLUS)
def test_bulk_index_answers_like_document_by_document(both, text, filters):
    assert_same_answers(*both, text, filters, ("relevance", "recent"))


def slugs(index: SearchIndex, text: str) -> set[str]:
    found = index.search(SearchQuery(text, limit=500))
    assert found.total <= 500
    return {h.slug for h in found.hits}


def test_bulk_index_takes_upserts_and_deletes(both, corpus, tmp_path):
    fast = SearchIndex(tmp_path / "ix")
    fast.rebuild(corpus)
    changed, removed = corpus[0], corpus[1]
    mediation = slugs(fast, "médiation")
    assert changed.slug in mediation
    assert slugs(fast, "chantiers rémunérés") >= {removed.slug}
    fast.upsert([dataclasses.replace(changed, title=f"{changed.title} zorglubienne")])
    fast.delete([removed.slug])
    assert fast.search(SearchQuery("")).total == len(corpus) - 1
    # The upserted practice is found by its new word, once, and still by its old ones.
    assert slugs(fast, "zorglubienne") == {changed.slug}
    assert fast.search(SearchQuery("médiation")).total == len(mediation - {removed.slug})
    assert slugs(fast, "médiation") == mediation - {removed.slug}
    # The deleted practice is gone from every answer.
    assert removed.slug not in slugs(fast, "chantiers rémunérés")
    assert removed.slug not in slugs(fast, "")


SPLIT_BUILD = """
import sys
from pathlib import Path
from search_fixtures import CORPUS
from kb.search import SearchIndex, rebuild
from tests.benchmarks.gen_corpus import generate
rebuild.PARALLEL_FROM = 100  # the corpus here is small; the split path must still run
assert rebuild.can_split(500)
index = SearchIndex(Path(sys.argv[1]))
print(index.rebuild(list(CORPUS) + generate(400, seed=11)))
"""


@pytest.fixture(scope="module")
def split(corpus, tmp_path_factory, both):
    """The same corpus rebuilt in two processes (one segment each).

    Built in a fresh interpreter: the split path forks only where no other thread
    runs, which a test session full of servers and browsers cannot promise.
    """
    import os
    import subprocess

    folder = Path(tmp_path_factory.mktemp("split")) / "ix"
    here = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here), str(here.parent.parent)])}
    done = subprocess.run([sys.executable, "-c", SPLIT_BUILD, str(folder)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(len(corpus))
    index = SearchIndex(folder)
    segments = windex.open_dir(str(IndexStore(index.path).current_dir()))
    try:
        assert len(segments._segments()) == 2
    finally:
        segments.close()
    return index, both[1]


@pytest.mark.parametrize(("text", "filters"), QUERIES_PLUS)
def test_index_built_in_two_processes_answers_like_one_built_in_one(split, text, filters):
    assert_same_answers(*split, text, filters, ("relevance", "title"), exact_scores=False)


DEFERRED_SPLIT = """
import os, sys
from pathlib import Path
from search_fixtures import CORPUS
from kb.search import DeferredDocuments, SearchIndex, rebuild
from tests.benchmarks.gen_corpus import generate
rebuild.PARALLEL_FROM = 100
docs = list(CORPUS) + generate(400, seed=11)
log = open(sys.argv[2], "a", buffering=1)

def make(doc):
    log.write(f"{os.getpid()} {doc.slug}\\n")
    return doc

index = SearchIndex(Path(sys.argv[1]))
print(index.rebuild(DeferredDocuments(docs, make, [d.slug for d in docs])))
"""


def test_deferred_documents_are_made_once_each_by_the_process_indexing_them(tmp_path):
    """A split rebuild of ``DeferredDocuments``: each process makes its own half only,
    and the index holds every document."""
    import os
    import subprocess

    made = tmp_path / "made.txt"
    here = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here), str(here.parent.parent)])}
    done = subprocess.run([sys.executable, "-c", DEFERRED_SPLIT, str(tmp_path / "ix"), str(made)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    total = int(done.stdout)
    lines = [line.split() for line in made.read_text().splitlines()]
    slugs = [slug for _, slug in lines]
    assert len(slugs) == len(set(slugs)) == total  # each made once
    by_process: dict[str, int] = {}
    for pid, _ in lines:
        by_process[pid] = by_process.get(pid, 0) + 1
    assert sorted(by_process.values()) == [total // 2, total - total // 2]
    index = SearchIndex(tmp_path / "ix")
    assert index.search(SearchQuery("", limit=1)).total == total


def test_deferred_documents_refuse_duplicate_slugs(tmp_path, corpus):
    docs = [corpus[0], corpus[1], corpus[0]]
    with pytest.raises(ValueError, match="duplicate slug"):
        SearchIndex(tmp_path / "ix").rebuild(DeferredDocuments(docs, lambda d: d,
                                                               [d.slug for d in docs]))
