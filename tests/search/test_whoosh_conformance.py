"""kb's matching, which reads Whoosh's internals, against Whoosh's own public Searcher.

A varied synthetic corpus (the search fixtures plus 300 generated practices,
with upserts and deletions so that the index has several segments and deleted
documents) is indexed once. For each query, kb's matched documents (all of them,
through ``SearchIndex.search``) must be exactly those Whoosh's ``Searcher``
finds on the same index with the equivalent ``whoosh.query`` tree, built from
kb's own parse of the text. The tree is generic over the schema: a word may
match in any of ``TEXT_FIELDS``; a filter is a term of ``FACET_FIELDS``.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from search_fixtures import CORPUS
from whoosh import index as windex
from whoosh import query as wq

from kb.search import SearchIndex, SearchQuery
from kb.search.analysis import pair_term
from kb.search.matching import Matcher
from kb.search.querying import parse
from kb.search.schema import FACET_FIELDS, TEXT_FIELDS
from kb.search.store import IndexStore

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for tests.benchmarks
from tests.benchmarks.bench_search import QUERIES  # noqa: E402
from tests.benchmarks.gen_corpus import generate  # noqa: E402

EXTRA = [
    ("médiation -nuit", {}), ("jeunes -emploi", {}), ("locataires", {"year": ("2019", "2020")}),
    ("", {"city": ("rouen",)}), ("tranquillité", {"theme": ("tranquillite-residentielle",)}),
    ("uni voisins", {}), ("seine-saint-denis", {}), ('"gestion urbaine"', {}),
]
CASES = QUERIES + EXTRA


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    corpus = list(CORPUS) + generate(300, seed=7)
    ix = SearchIndex(Path(tmp_path_factory.mktemp("conformance")) / "ix")
    ix.rebuild(corpus)
    # A second segment and deleted documents: what a running site has.
    ix.upsert([dataclasses.replace(doc, title=f"{doc.title} révisée") for doc in corpus[10:30]])
    ix.delete([doc.slug for doc in corpus[40:50]])
    return ix


def whoosh_query(index: SearchIndex, text: str, filters: dict) -> tuple[wq.Query, bool]:
    """The Whoosh query matching what kb promises for ``text`` and ``filters``.

    Exact (True) but for a phrase of three terms or more: the text fields keep
    no positions, so Whoosh can only require each consecutive pair, and finds a
    superset that kb narrows with the stored term sequences (False).
    """
    pq = parse(text)
    exact = True
    matcher = Matcher(index._snapshot())

    def any_field(term: str) -> wq.Query:
        return wq.Or([wq.Term(f, term) for f in TEXT_FIELDS])

    def clause(c) -> wq.Query:
        positions = [wq.Or([any_field(t) for t in alts]) for alts in matcher.alternatives(c, False)]
        tree: wq.Query = wq.And(positions)
        if c.joined is not None:
            tree = wq.Or([tree, any_field(c.joined)])
        elif c.phrase:
            nonlocal exact
            exact = exact and len(c.terms) <= 2
            tree = wq.And([tree, *[wq.Term("pairs", pair_term(a, b))
                                   for a, b in zip(c.terms, c.terms[1:], strict=False)]])
        return tree

    parts: list[wq.Query] = [clause(c) for c in pq.required] or [wq.Every()]
    for facet, values in filters.items():
        parts.append(wq.Or([wq.Term(FACET_FIELDS[facet], v) for v in values]))
    tree = wq.And(parts)
    if pq.excluded:
        # And + Not rather than AndNot: whoosh3 3.54.0's AndNot kept 2 excluded
        # documents of 26 on this index (a second segment, deletions).
        tree = wq.And([tree, wq.Not(wq.Or([clause(c) for c in pq.excluded]))])
    return tree, exact


def test_there_are_enough_queries_of_each_kind():
    assert len(CASES) >= 55
    assert sum(1 for text, _ in CASES if '"' in text) >= 5
    assert sum(1 for _, filters in CASES if filters) >= 5


@pytest.mark.parametrize(("text", "filters"), CASES, ids=[f"{t}|{f}" for t, f in CASES])
def test_kb_matches_the_documents_whoosh_finds(index, text, filters):
    with index._lock:
        tree, exact = whoosh_query(index, text, filters)
    ix = windex.open_dir(str(IndexStore(index.path).current_dir()))
    try:
        with ix.searcher() as searcher:
            expected = {hit["slug"] for hit in searcher.search(tree, limit=None)}
    finally:
        ix.close()
    found = index.search(SearchQuery(text, filters=filters, limit=500))
    assert found.total <= 500
    # Partial results (practices with some of the words) follow the full matches:
    # the full matches are the hits that lack no word.
    full = {h.slug for h in found.hits if not h.missing}
    if exact:
        lacking = any(h.missing for h in found.hits)
        assert (len(full) if lacking else found.total) == len(expected)
        assert full == expected
    else:
        assert full <= expected


def test_a_missing_whoosh_internal_stops_kb_at_start_up(monkeypatch):
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from kb.search.whoosh_reading import WHOOSH3_VERSION, check_whoosh_internals

    monkeypatch.delattr(W3LeafMatcher, "_next_block")
    with pytest.raises(RuntimeError, match=f"whoosh3=={WHOOSH3_VERSION}.*README"):
        check_whoosh_internals()
