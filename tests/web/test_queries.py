"""Pages render from the search service: a bounded number of SQL queries, whatever the corpus size."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from .conftest import write_practices

# Since the first release: the glossary (acronym expansion on search, <abbr> marking on the
# practice page) and the stored HTML of the last revision each cost one query.
# The practice page: 15, plus the meaning layer's two reads for "Pratiques proches" (the
# version of its vector matrix, then the vectors of the sheet shown).
MAX_QUERIES = {"search": 14, "practice": 17}


@contextmanager
def counting(engine):
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def add_practices(runtime, corpus_dir, numbers) -> None:
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    write_practices(corpus_dir, numbers)
    with runtime.session() as session:
        import_folder(session, corpus_dir)
    with runtime.session(write=False) as session:
        rebuild_index(session, runtime.index)


def queries(client, engine, url) -> int:
    client.get(url)  # warm up: the index follower and caches settle first
    with counting(engine) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


PAGES = {
    "search": "/recherche?q=jardin&theme=theme-synthetique-1&theme=theme-synthetique-2&city=rouen",
    "practice": "/pratiques/beta-insertion",
}


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_query_count_is_small_and_independent_of_corpus_size(client, loaded_runtime, corpus_dir, kind):
    url = PAGES[kind]
    before = queries(client, loaded_runtime.engine, url)
    add_practices(loaded_runtime, corpus_dir, range(24, 60))
    after = queries(client, loaded_runtime.engine, url)
    assert before == after
    assert after <= MAX_QUERIES[kind]


@pytest.mark.parametrize("url", ["/", "/recherche", "/themes/theme-synthetique-1", "/villes",
                                 "/rendez-vous", "/rendez-vous/rencontre-future"])
def test_other_pages_do_not_grow_with_the_corpus(client, loaded_runtime, corpus_dir, url):
    before = queries(client, loaded_runtime.engine, url)
    add_practices(loaded_runtime, corpus_dir, range(24, 60))
    assert queries(client, loaded_runtime.engine, url) == before
