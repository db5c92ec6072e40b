"""The change follower: keeps one index equal to the database's published practices.

Every change to the public set of practices appends a row to ``change_log``; before
searching, a process compares the highest id its index has applied (a state file
shared by the processes of a machine) with the table's and applies what it missed.
PostgreSQL may commit ids out of order, so ids skipped over are remembered as gaps and
looked for again for a while (a rolled-back id never shows up).

SQLAlchemy is imported only when there is something to apply: ``kb search`` asks
``is_current`` first and stays clear of the ORM when the index is up to date.

Reads never need to write: when the index cannot be written (a full disk under
``KB_INDEX_DIR``, a read-only folder), the change is left unapplied, the failure
logged, and the request served from the last good index; the next try waits
``RETRY_SECONDS`` (doubling up to ``RETRY_MAX``) so that pages do not pay for a
failing write each time. Once space returns, a later read or ``kb check-index``
applies what was missed.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kb.search import SearchIndex

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

GAP_SECONDS = 60.0
STATE_FILE = "changes.json"
RETRY_SECONDS = 5.0
RETRY_MAX = 300.0

log = logging.getLogger(__name__)


@dataclass
class _State:
    applied: int = 0
    gaps: dict[int, float] = field(default_factory=dict)


class ChangeFollower:
    """Applies change-log rows to one index; state shared by the processes of a machine."""

    def __init__(self, index: SearchIndex):
        self.index = index
        self.path = Path(index.path) / STATE_FILE
        self._lock = threading.Lock()
        self._seen = -1  # highest change id known applied, in this process
        self._retry_at = 0.0  # time.monotonic() before which a failed write is not retried
        self._retry_wait = 0.0

    def _load(self) -> _State:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return _State(int(data["applied"]), {int(k): float(v) for k, v in data["gaps"].items()})
        except (OSError, ValueError, KeyError, TypeError):
            return _State()

    def _save(self, state: _State) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{STATE_FILE}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps({"applied": state.applied, "gaps": state.gaps}),
                           encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a truncated file would hold space on a full disk
            raise

    def mark_rebuilt(self, applied: int) -> None:
        """After a full rebuild from the database as of change ``applied``."""
        with self._lock:
            self._save(_State(applied))
            self._seen = -1

    def is_current(self, latest: int) -> bool:
        """True when the index has applied every change up to ``latest`` and has no gaps."""
        if latest <= self._seen:
            return True
        with self._lock:
            state = self._load()
            now = time.time()
            return latest <= state.applied and not any(now - t < GAP_SECONDS
                                                       for t in state.gaps.values())

    def catch_up(self, session: Session, latest: int | None = None) -> int:
        """Apply changes this index has not seen; returns how many practices were synced.

        ``latest``: the highest change-log id, when the caller has just read it.
        """
        from sqlalchemy import func, or_, select

        from kb.models import ChangeLog
        from kb.services.indexing import published_documents, rebuild_is_faster, sync_index, written

        if latest is None:
            latest = session.scalar(select(func.max(ChangeLog.id))) or 0
        if latest <= self._seen or time.monotonic() < self._retry_at:
            return 0
        with self._lock:
            state = self._load()
            now = time.time()
            state.gaps = {i: t for i, t in state.gaps.items() if now - t < GAP_SECONDS}
            if latest <= state.applied and not state.gaps:
                self._seen = latest
                return 0
            condition = ChangeLog.id > state.applied
            if state.gaps:
                condition = or_(condition, ChangeLog.id.in_(list(state.gaps)))
            rows = session.execute(
                select(ChangeLog.id, ChangeLog.practice_slug).where(condition).order_by(ChangeLog.id)
            ).all()
            ids = {row.id for row in rows}
            top = max(ids | {state.applied})
            for missing in range(state.applied + 1, top):
                if missing not in ids:
                    state.gaps.setdefault(missing, now)
            for found in ids:
                state.gaps.pop(found, None)
            slugs = {row.practice_slug for row in rows}
            try:
                if rebuild_is_faster(session, slugs):
                    # covers every change read above (the rebuild reads the same session)
                    written(self.index.rebuild, published_documents(session))
                else:
                    sync_index(session, self.index, slugs)
                state.applied = top
                self._save(state)
            except OSError as exc:
                # The state file is left as it was: what it says applied is applied.
                self._write_failed(exc, len(slugs))
                return 0
            self._retry_at = self._retry_wait = 0.0
            # While gaps are open, look again on every call.
            self._seen = -1 if state.gaps else top
            return len(slugs)

    def _write_failed(self, exc: OSError, count: int) -> None:
        self._retry_wait = min(RETRY_MAX, max(RETRY_SECONDS, self._retry_wait * 2))
        self._retry_at = time.monotonic() + self._retry_wait
        log.error("search index at %s cannot be written (%s): %d practice(s) not reindexed; "
                  "serving the last good index, next try in %.0f s (kb check-index repairs it)",
                  self.index.path, exc, count, self._retry_wait)


# A process follows one index, or a few (tests): the ones forgotten are reopened
# from their state file, and their snapshots' caches are not kept alive here.
MAX_FOLLOWERS = 8
_followers: dict[Path, ChangeFollower] = {}
_followers_lock = threading.Lock()


@lru_cache(maxsize=64)
def _resolved(path: Path) -> Path:
    return path.resolve()  # a few system calls: once per index path, not once per search


def follower_for(index: SearchIndex) -> ChangeFollower:
    """The one follower of ``index`` in this process."""
    with _followers_lock:
        key = _resolved(Path(index.path))
        if key not in _followers or _followers[key].index is not index:
            _followers.pop(key, None)
            while len(_followers) >= MAX_FOLLOWERS:  # the oldest: its state is on disk
                del _followers[next(iter(_followers))]
            _followers[key] = ChangeFollower(index)
        return _followers[key]
