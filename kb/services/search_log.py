"""What people search for, for moderators: recorded off the request path, kept a while.

Data flow: a search view calls ``SearchLogWriter.record`` after computing its
answer. ``record`` only normalises the text and puts a small tuple on an
in-memory queue (never blocks: when the queue is full the search is dropped and
a warning logged). A daemon thread of the process, with a database engine of its
own, takes what is queued, writes it in one transaction, and once a day deletes
what is older than the retention. A database error there is logged and the
batch dropped: the public search never waits on the log and never fails because
of it.

What is kept: the normalised query, the filters, the number of practices found
and the day. Nothing about who searched (no address, session, user agent, hour).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kb import storage
from kb.taxonomy import label_key

log = logging.getLogger(__name__)

QUERY_MAX = 300
FILTERS_MAX = 1000
FEW_RESULTS = 2  # "few results": at most this many practices found
BATCH = 500
# A write waits this long for more searches: one commit (and one connection) for a
# burst rather than one a search, which cost a busy server about 2 ms of CPU a search.
LINGER = 0.5
MAX_PENDING = 10_000
PERIODS = (30, 90)


def normalise_query(text: str) -> str:
    """Case folded, spaces collapsed, accents kept (people read the list)."""
    text = unicodedata.normalize("NFC", text or "")
    return " ".join(text.casefold().split())[:QUERY_MAX]


def encode_filters(filters: Mapping[str, Sequence[str]]) -> str:
    """``city=paris;theme=sante-mentale``: facets and values sorted, values as slugs."""
    pairs = sorted({(facet, label_key(v) or v.strip()) for facet, values in filters.items()
                    for v in values if v and v.strip()})
    return ";".join(f"{facet}={value}" for facet, value in pairs)[:FILTERS_MAX]


def decode_filters(text: str) -> list[tuple[str, str]]:
    return [tuple(part.split("=", 1)) for part in text.split(";") if "=" in part]  # type: ignore[misc]


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def purge(session: Session, days: int, now: dt.date | None = None) -> int:
    """Keep the searches of the last ``days`` days, today included; how many went."""
    return storage.purge_search_log(session, (now or today()) - dt.timedelta(days=days - 1))


@dataclass(frozen=True)
class SearchReport:
    days: int
    total: int
    frequent: list[storage.SearchStat]
    missed: list[storage.SearchStat]


def search_reports(session: Session, now: dt.date | None = None, limit: int = 50) -> list[SearchReport]:
    """Most frequent queries and queries with few results, over each period of PERIODS."""
    now = now or today()
    reports = []
    for days in PERIODS:
        since = now - dt.timedelta(days=days - 1)
        reports.append(SearchReport(days, storage.count_searches(session, since),
                                    storage.frequent_searches(session, since, limit),
                                    storage.missed_searches(session, since, FEW_RESULTS, limit)))
    return reports


class SearchLogWriter:
    """Records searches through a queue and a writer thread (see the module docstring)."""

    def __init__(self, sessions: Callable[[], Session], retention_days: int,
                 max_pending: int = MAX_PENDING, release: Callable[[], None] | None = None,
                 linger: float = LINGER):
        self.sessions = sessions
        self.linger = linger
        # Called when the queue is empty: no idle connection is kept between bursts.
        self.release = release
        self.retention_days = retention_days
        self.queue: queue.Queue[dict] = queue.Queue(max_pending)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._purged: dt.date | None = None

    @classmethod
    def for_database(cls, url: str, retention_days: int) -> SearchLogWriter:
        """A writer with an engine of its own: its writes never take a connection the pages need."""
        from sqlalchemy.orm import sessionmaker

        from kb.db import make_engine

        engine = make_engine(url)
        return cls(sessionmaker(engine, expire_on_commit=False), retention_days,
                   release=engine.dispose)

    @property
    def enabled(self) -> bool:
        return self.retention_days > 0

    def record(self, text: str, filters: Mapping[str, Sequence[str]], results: int) -> None:
        """Queue one search; returns at once. Empty searches are not recorded."""
        if not self.enabled:
            return
        query, encoded = normalise_query(text), encode_filters(filters)
        if not query and not encoded:
            return
        self._ensure_thread()
        try:
            self.queue.put_nowait({"day": today(), "query": query, "filters": encoded,
                                   "results": int(results)})
        except queue.Full:
            log.warning("search log: queue full, one search not recorded")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued is written (tests, orderly shutdown); False on timeout."""
        done = threading.Event()

        def wait() -> None:
            self.queue.join()
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        return done.wait(timeout)

    def _ensure_thread(self) -> None:
        # After a fork (gunicorn --preload) the parent's thread does not exist in the child.
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="kb-search-log",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            rows = [self.queue.get()]
            deadline = time.monotonic() + self.linger
            while len(rows) < BATCH:
                remaining = deadline - time.monotonic()
                try:
                    rows.append(self.queue.get(timeout=remaining) if remaining > 0
                                else self.queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(rows)
            except Exception:  # logged, never raised: the log must not hurt the search
                log.exception("search log: %d search(es) could not be recorded", len(rows))
            finally:
                if self.release is not None and self.queue.empty():
                    self.release()
                for _ in rows:
                    self.queue.task_done()

    def _write(self, rows: list[dict]) -> None:
        with self.sessions() as session:
            storage.add_search_log(session, rows)
            if self._purged != rows[-1]["day"]:
                purge(session, self.retention_days, rows[-1]["day"])
            session.commit()
        self._purged = rows[-1]["day"]
