"""A process killed with SIGKILL mid-reindex or mid-publish: the site keeps serving,
nothing committed is lost, and the index is repaired."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kb.runtime import Runtime
from kb.search.rebuild import PARALLEL_FROM
from kb.services.corpus import import_folder
from kb.services.indexing import check_index, rebuild_index
from kb.services.search import search_practices
from tests.benchmarks.gen_corpus import write_practices

# Synthetic practices: enough for a rebuild to last a few seconds, and past the
# size at which the rebuild forks a second process (kb.search.rebuild.PARALLEL_FROM).
SIZE = PARALLEL_FROM + 400
PUBLISHER_SIZE = 1200


def prepare(runtime: Runtime, tmp_path: Path, size: int = SIZE) -> None:
    write_practices(size, tmp_path / "synthetic")
    with runtime.session() as session:
        import_folder(session, tmp_path / "synthetic")
    with runtime.session(write=False) as session:
        rebuild_index(session, runtime.index)


def environment(runtime: Runtime) -> dict[str, str]:
    return {**os.environ, "KB_DATABASE_URL": runtime.settings.database_url,
            "KB_INDEX_DIR": str(runtime.settings.index_dir)}


def kill_when(process: subprocess.Popen, ready, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert process.poll() is None, "the process ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def hits(runtime: Runtime, text: str) -> int:
    with runtime.session(write=False) as session:
        return search_practices(session, runtime.index, text).total


def children(pid: int) -> list[int]:
    """The processes ``pid`` forked (Linux's /proc)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper does not count)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_killed_forked_reindex_leaves_a_working_index_that_check_index_confirms(runtime, tmp_path):
    prepare(runtime, tmp_path)
    before = hits(runtime, "locataires")
    assert before > 0
    index_dir = runtime.settings.index_dir
    process = subprocess.Popen([sys.executable, "-m", "kb.cli", "reindex"],
                               env=environment(runtime), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    forked: list[int] = []

    def building_in_two() -> bool:
        forked[:] = children(process.pid)
        return bool(forked) and any(index_dir.glob("gen-*.building"))

    # Killed while the second indexing process is writing its half.
    kill_when(process, building_in_two)
    assert forked, "the rebuild of a large corpus did not fork its second process"
    deadline = time.monotonic() + 1  # the kernel kills it with its parent (PR_SET_PDEATHSIG)
    while any(map(alive, forked)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(alive, forked)), "the forked writer outlived its parent"
    fresh = Runtime.open(runtime.settings)  # as a new worker would
    try:
        assert hits(fresh, "locataires") == before
        with fresh.session(write=False) as session:
            assert check_index(session, fresh.index, repair=True).clean
        # The next rebuild cleans what the killed one left behind.
        with fresh.session(write=False) as session:
            rebuild_index(session, fresh.index)
        assert not list(index_dir.glob("gen-*.building"))
        assert hits(fresh, "locataires") == before
    finally:
        fresh.close()


PUBLISHER = """
import sys
from kb import storage
from kb.config import Settings
from kb.corpus import PracticeRecord
from kb.runtime import Runtime
from kb.services.indexing import sync_index
runtime = Runtime.open(Settings.from_env())
for n in range(100000):
    slug = f"publiee-{n}"
    record = PracticeRecord(slug=slug, title=f"Publication {n} kiwano", summary="Synthétique.",
                            themes=["Thème"], cities=["Lyon"], landlords=["Bailleur"])
    with runtime.session() as session:
        storage.save_practice(session, storage.Resolver(session), record, None)
    print(n, flush=True)
    with runtime.session(write=False) as session:
        sync_index(session, runtime.index, [slug])
"""


def test_killed_publisher_loses_nothing_and_the_index_catches_up(runtime, tmp_path):
    prepare(runtime, tmp_path, PUBLISHER_SIZE)
    process = subprocess.Popen([sys.executable, "-c", PUBLISHER], env=environment(runtime),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    published = []

    def enough() -> bool:
        published.append(process.stdout.readline())
        return len(published) >= 20

    kill_when(process, enough)
    process.stdout.close()
    committed = len([line for line in published if line.strip()])
    fresh = Runtime.open(runtime.settings)
    try:
        # Every publish the killed process committed is searchable: the index
        # caught up from the change log, even the one killed before its sync.
        assert hits(fresh, "kiwano") >= committed
        with fresh.session(write=False) as session:
            result = check_index(session, fresh.index, repair=False)
        assert result.clean, result
    finally:
        fresh.close()
