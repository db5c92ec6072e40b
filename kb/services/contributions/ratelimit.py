"""A small sliding-window rate limiter, per process or shared through the database.

``RateLimiter.hit(bucket, rate)`` counts one request in ``bucket`` (for example
``"contribution:203.0.113.7"``) and says whether it is allowed: at most
``rate.limit`` requests in any ``rate.window`` seconds. ``MemoryStore`` keeps
timestamps in the process (each gunicorn worker counts alone);
``DatabaseStore`` keeps them in the ``rate_limit_hits`` table, so every worker
and machine sharing the database shares the count. The web app builds one
limiter per app, inside the factory: never module-global state.

Why not Flask-Limiter: its shared storages (through the ``limits`` library) are
Redis, Memcached and MongoDB; kb's only shared service is its SQL database
(SQLite or PostgreSQL), and adding a server for a handful of counters is not
worth it. Its in-memory storage would be what ``MemoryStore`` already is.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kb.models import RateLimitHit

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*(\d*)\s*(second|minute|hour|day)s?\s*$", re.I)


def network_key(address: str | None) -> str:
    """The unit a client is counted by: an IPv6 address's /64, an IPv4 address whole.

    One subscriber line gets a whole /64, so counting IPv6 addresses one by one would
    give a single visitor 2**64 fresh limits. An IPv4-mapped IPv6 address counts as its
    IPv4 address; anything unparsable counts as itself.
    """
    text = (address or "").strip()
    try:
        parsed = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return text[:100] or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


@dataclass(frozen=True)
class Rate:
    limit: int
    window: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"5/hour"``, ``"10/minute"``, ``"100 per day"``, ``"3/10 minutes"``."""
        match = _RATE.match(str(text))
        if not match:
            raise ValueError(f"invalid rate {text!r}: expected e.g. '5/hour'")
        count, units = int(match[1]), int(match[2] or 1)
        return cls(count, units * UNITS[match[3].lower()])


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


class MemoryStore:
    """Timestamps per bucket in this process; thread-safe."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, bucket: str, rate: Rate, now: float) -> Verdict:
        with self._lock:
            hits = self._hits.setdefault(bucket, deque())
            while hits and hits[0] <= now - rate.window:
                hits.popleft()
            if len(hits) >= rate.limit:
                return Verdict(False, max(1, int(hits[0] + rate.window - now) + 1))
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle buckets
                for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - 86400]:
                    del self._hits[key]
            return Verdict(True)


class DatabaseStore:
    """Timestamps in the kb database, shared by every process using it.

    Each hit prunes only its own bucket, older than its own window: a limit
    never forgets another limit's hits. Count and insert happen in one
    transaction that holds the bucket: on SQLite the write transaction begins
    IMMEDIATE (kb.db), which serialises writers; on PostgreSQL a transaction
    advisory lock on the bucket does, so two workers never both take the last
    free slot. Buckets nobody uses any more are swept once a minute, past
    ``horizon`` (the longest window configured, the same in every worker).
    """

    SWEEP_EVERY = 60.0

    def __init__(self, sessions: Callable[[], AbstractContextManager[Session]],
                 horizon: float | None = None) -> None:
        self._sessions = sessions
        self._horizon = horizon
        self._swept = 0.0

    def hit(self, bucket: str, rate: Rate, now: float) -> Verdict:
        bucket = bucket[:200]
        with self._sessions() as session:
            if session.get_bind().dialect.name == "postgresql":
                key = int.from_bytes(hashlib.blake2b(bucket.encode(), digest_size=8).digest(),
                                     "big", signed=True)
                session.execute(select(func.pg_advisory_xact_lock(key)))
            since = now - rate.window
            session.execute(delete(RateLimitHit).where(RateLimitHit.bucket == bucket,
                                                       RateLimitHit.at <= since))
            if self._horizon is not None and now - self._swept >= self.SWEEP_EVERY:
                self._swept = now
                session.execute(delete(RateLimitHit).where(RateLimitHit.at <= now - self._horizon))
            count, oldest = session.execute(
                select(func.count(RateLimitHit.id), func.min(RateLimitHit.at))
                .where(RateLimitHit.bucket == bucket, RateLimitHit.at > since)).one()
            if count >= rate.limit:
                return Verdict(False, max(1, int(oldest + rate.window - now) + 1))
            session.add(RateLimitHit(bucket=bucket, at=now))
            return Verdict(True)


class RateLimiter:
    def __init__(self, store: MemoryStore | DatabaseStore,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    def hit(self, bucket: str, rate: Rate) -> Verdict:
        """Count one request in ``bucket``; ``allowed`` is False past the rate."""
        return self.store.hit(bucket, rate, self.clock())
