"""A full rebuild: every published practice analysed once, written by ``BulkWriter``.

From ``PARALLEL_FROM`` practices on a machine with two cores or more, a forked
child writes the second half's segment while the parent writes the first; the
parent's table of contents then lists both (see ``build_in_two``).
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from pathlib import Path

from kb.forked import can_fork, die_with_parent
from kb.search.bulk import BulkWriter
from kb.search.documents import IndexDocument
from kb.search.schema import prepare

PARALLEL_FROM = 2000  # below this, forking costs more than it saves


def build(ix, building: Path, docs: list[IndexDocument],
          progress: Callable[[int], None] | None = None) -> None:
    """Write ``docs`` into the empty index ``ix`` (in the folder ``building``)."""
    if can_split(len(docs)):
        build_in_two(ix, building, docs, progress)
    else:
        fill(ix, docs, progress).commit()


def can_split(count: int) -> bool:
    """Build in two processes: a large rebuild, two cores, and no thread that a fork would strand."""
    return can_fork(count, PARALLEL_FROM)


def fill(ix, docs: list[IndexDocument], progress: Callable[[int], None] | None = None,
          scale: int = 1) -> BulkWriter:
    """A bulk writer holding ``docs`` (analysed once each), ready to write its segment."""
    writer = BulkWriter(ix)
    accents: set[str] = set()  # accented spellings already indexed (see ``to_fields``)
    try:
        for number, doc in enumerate(docs, 1):
            writer.add_prepared(prepare(doc, accents, writer.pair_keys))
            if progress and number % 100 == 0:
                progress(number * scale)
    except BaseException:
        writer.cancel()
        raise
    return writer


def build_in_two(ix, building: Path, docs: list[IndexDocument],
                  progress: Callable[[int], None] | None) -> None:
    """One segment per core: a forked child writes the second half's segment files,
    the parent the first half's, then the parent's table of contents lists both."""
    half = len(docs) // 2
    handoff = building / "second-segment.pickle"
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        code = 1
        try:
            die_with_parent(parent)
            handoff.write_bytes(pickle.dumps(fill(ix, docs[half:]).write_segment()))
            code = 0
        finally:
            os._exit(code)
    try:
        writer = fill(ix, docs[:half], progress, scale=2)
        first = writer.write_segment()  # while the child still writes its own
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError("the second indexing process failed")
    second = pickle.loads(handoff.read_bytes())  # noqa: S301 - written by our own child
    handoff.unlink()
    writer.publish([first, second])
