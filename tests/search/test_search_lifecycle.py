"""Index lifecycle: atomic rebuilds, incremental updates, locks, versions, corruption."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from search_fixtures import CORPUS, doc

from kb.search import IndexLockTimeout, SearchError, SearchIndex, SearchQuery
from kb.search import schema as schema_module
from kb.search.store import IndexStore


def total(index, text=""):
    return index.search(SearchQuery(text)).total


def test_missing_index_is_not_ready_and_search_says_so(tmp_path):
    index = SearchIndex(tmp_path / "nothing")
    assert index.ensure_ready() is False
    r = index.search(SearchQuery("jeunes"))
    assert r.total == 0 and r.message
    assert index.fingerprints() == {}


def test_rebuild_returns_count_reports_progress_and_is_ready(tmp_path):
    seen = []
    index = SearchIndex(tmp_path / "ix")
    assert index.rebuild(CORPUS, progress=seen.append) == len(CORPUS)
    assert seen[-1] == len(CORPUS)
    assert index.ensure_ready() is True
    assert index.fingerprints() == {d.slug: d.fingerprint for d in CORPUS}


def test_rebuild_swaps_while_a_reader_holds_a_searcher(index, tmp_path):
    assert total(index) == 6
    other = SearchIndex(index.path)  # another reader, same folder
    assert total(other) == 6
    index.rebuild(CORPUS[:2])
    assert total(other) == 2  # reopened on the new generation
    assert total(index) == 2
    dirs = [p.name for p in Path(index.path).iterdir() if p.name.startswith("gen-")]
    assert len(dirs) <= 2


def test_failed_rebuild_keeps_the_live_index(index):
    with pytest.raises(ValueError):
        index.rebuild([CORPUS[0], CORPUS[0]])
    assert total(index) == 6
    assert not list(Path(index.path).glob("*.building"))


def test_upsert_is_visible_and_replaces_by_slug(index):
    other = SearchIndex(index.path)
    assert total(other, "xylophone") == 0
    index.upsert([doc("nouvelle", "Le xylophone du quartier", "Musique",
                      themes=CORPUS[0].themes)])
    assert total(other, "xylophone") == 1
    changed = dataclasses.replace(CORPUS[0], title="Médiation au xylophone", fingerprint="new")
    index.upsert([changed])
    assert total(other, "xylophone") == 2
    assert total(other) == 7
    assert other.fingerprints()["mediation-nuit"] == "new"


def test_facet_labels_follow_incremental_updates(index):
    relabelled = dataclasses.replace(
        CORPUS[0], themes=(dataclasses.replace(CORPUS[0].themes[0], label="Tranquillité !"),))
    index.delete([d.slug for d in CORPUS if d.slug != "mediation-nuit"])
    index.upsert([relabelled])
    labels = {f.value: f.label for f in index.search(SearchQuery("")).facets["theme"]}
    assert labels == {"tranquillite-residentielle": "Tranquillité !"}


def test_delete_removes_from_results_and_facets(index):
    index.delete(["uni-voisins", "unknown-slug"])
    r = index.search(SearchQuery(""))
    assert r.total == 5
    assert "seine-saint-denis" not in {f.value for f in r.facets["city"]}


def test_upsert_on_missing_index_creates_it(tmp_path):
    index = SearchIndex(tmp_path / "fresh")
    index.upsert([CORPUS[0]])
    assert total(index) == 1


def test_schema_version_bump_makes_index_not_ready(index, monkeypatch):
    assert index.ensure_ready()
    monkeypatch.setattr("kb.search.store.SCHEMA_VERSION", schema_module.SCHEMA_VERSION + 1)
    fresh = SearchIndex(index.path)
    assert fresh.ensure_ready() is False
    fresh.rebuild(CORPUS)
    assert fresh.ensure_ready() is True


def test_corrupted_index_is_not_ready_then_rebuild_works(index):
    folder = IndexStore(index.path).current_dir()
    for f in folder.iterdir():
        if f.is_file() and f.name != "SCHEMA_VERSION":
            f.write_bytes(b"\x00garbage" * 10)
    fresh = SearchIndex(index.path)
    assert fresh.ensure_ready() is False
    with pytest.raises(SearchError):  # a damaged index is a failure, not an empty answer
        fresh.search(SearchQuery("jeunes"))
    fresh.rebuild(CORPUS)
    assert fresh.ensure_ready() is True and total(fresh, "jeunes") == 2


def test_garbage_current_pointer_is_not_ready(index):
    (Path(index.path) / "CURRENT").write_text("../../etc")
    assert SearchIndex(index.path).ensure_ready() is False


def _hold_lock_then_die(path: str, ready) -> None:
    store = IndexStore(Path(path))
    with store.write_lock():
        ready.set()
        time.sleep(60)


def test_stale_lock_of_a_killed_writer_does_not_block(index):
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=_hold_lock_then_die, args=(str(index.path), ready))
    proc.start()
    assert ready.wait(30)
    blocked = SearchIndex(index.path, writer_timeout=0.2)
    with pytest.raises(IndexLockTimeout):
        blocked.upsert([doc("x", "Xylophone")])
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    assert (Path(index.path) / "WRITE.lock").exists()
    blocked.upsert([doc("x", "Xylophone")])
    assert total(blocked, "xylophone") == 1


def _upsert_many(path: str, prefix: str, count: int) -> None:
    index = SearchIndex(Path(path), writer_timeout=60)
    for i in range(count):
        index.upsert([doc(f"{prefix}-{i}", f"Pratique {prefix} {i}", "Concurrence")])


def test_two_processes_upserting_concurrently_both_succeed(index):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_upsert_many, args=(str(index.path), p, 15)) for p in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert total(index, "concurrence") == 30
