"""A full rebuild: every published practice analysed once, written by ``BulkWriter``.

From ``PARALLEL_FROM`` practices on a machine with two cores or more, a forked
child writes the second half's segment while the parent writes the first; the
parent's table of contents then lists both (see ``build_in_two``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kb.forked import can_fork, run_in_two
from kb.search.bulk import BulkWriter
from kb.search.documents import IndexDocument
from kb.search.schema import prepare

PARALLEL_FROM = 2000  # below this, forking costs more than it saves


def build(ix, building: Path, docs: Sequence[IndexDocument],
          progress: Callable[[int], None] | None = None) -> None:
    """Write ``docs`` into the empty index ``ix`` (in the folder ``building``)."""
    if can_split(len(docs)):
        build_in_two(ix, building, docs, progress)
    else:
        fill(ix, docs, progress).commit()


def can_split(count: int) -> bool:
    """Build in two processes: a large rebuild, two cores, and no thread that a fork would strand."""
    return can_fork(count, PARALLEL_FROM)


def fill(ix, docs: Sequence[IndexDocument], progress: Callable[[int], None] | None = None,
          scale: int = 1) -> BulkWriter:
    """A bulk writer holding ``docs`` (analysed once each), ready to write its segment."""
    writer = BulkWriter(ix)
    accents: set[str] = set()  # accented spellings already indexed (see ``to_fields``)
    try:
        for number, doc in enumerate(docs, 1):
            writer.add_prepared(prepare(doc, accents, writer.pair_keys, writer.spelling_later))
            if progress and number % 100 == 0:
                progress(number * scale)
    except BaseException:
        writer.cancel()
        raise
    return writer


def build_in_two(ix, building: Path, docs: Sequence[IndexDocument],
                  progress: Callable[[int], None] | None) -> None:
    """One segment per core: a forked child writes the second half's segment files,
    the parent the first half's, then the parent's table of contents lists both."""
    half = len(docs) // 2

    def first_half():
        writer = fill(ix, docs[:half], progress, scale=2)
        return writer, writer.write_segment()  # while the child still writes its own

    (writer, first), second = run_in_two(first_half,
                                         lambda: fill(ix, docs[half:]).write_segment())
    writer.publish([first, second])
