"""Keep the search index equal to the published practices of the database.

The database is the truth; the index is derived from it and always rebuildable.
Every change to a published practice goes through ``sync_index`` (incremental);
``rebuild_index`` rebuilds aside and swaps; ``check_index`` repairs drift.

Several machines: each keeps its own index. Every change to the public set of
practices appends a row to ``change_log``; before searching, a worker compares
the highest id it has applied with the table's and applies what it missed
(``ChangeFollower``). PostgreSQL may commit ids out of order, so ids skipped
over are remembered as gaps and looked for again for a while (a rolled-back id
never shows up).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kb.models import CITY, DISTRICT, LANDLORD, PARTNER, ChangeLog
from kb.search import IndexDocument, Named, SearchIndex
from kb.taxonomy import slugify

if TYPE_CHECKING:
    from kb import storage


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value else None


def _document(row, rows: storage.PracticeRows) -> IndexDocument:
    orgs = rows.organisations.get(row.id, [])
    places = rows.places.get(row.id, [])

    def named_orgs(relation: str) -> tuple[Named, ...]:
        return tuple(Named(slug, name, tuple(rows.aliases.get(org_id, ())))
                     for rel, slug, name, org_id in orgs if rel == relation)

    doc = IndexDocument(
        slug=row.slug,
        title=row.title,
        summary=row.summary,
        body=row.body,
        themes=tuple(Named(*t) for t in rows.themes.get(row.id, ())),
        landlords=named_orgs(LANDLORD),
        partners=named_orgs(PARTNER),
        cities=tuple(Named(slug, label) for kind, slug, label in places if kind == CITY),
        districts=tuple(Named(slug, label) for kind, slug, label in places if kind == DISTRICT),
        audiences=tuple(Named(*a) for a in rows.audiences.get(row.id, ())),
        status=Named(slugify(row.status), row.status) if row.status else None,
        evidence=Named(slugify(row.evidence), row.evidence) if row.evidence else None,
        start_year=_year(row.started),
        updated=row.updated_at,
    )
    digest = hashlib.sha256(repr(doc).encode()).hexdigest()[:32]
    return IndexDocument(**{**doc.__dict__, "fingerprint": digest})


def published_documents(session: Session, slugs: Iterable[str] | None = None) -> list[IndexDocument]:
    """What the index holds of the published practices (all, or those of ``slugs``)."""
    # kb.storage (and the corpus parser it brings) is imported here: searching,
    # which only follows the change log, never needs it.
    from kb import storage

    rows = storage.published_rows(session, slugs)
    return [_document(row, rows) for row in rows.practices]


def rebuild_index(session: Session, index: SearchIndex,
                  progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database (built aside, then swapped in)."""
    # Read the watermark first: a change made while we read is applied again later.
    from kb import storage

    latest = storage.latest_change(session)
    count = index.rebuild(published_documents(session), progress=progress)
    follower_for(index).mark_rebuilt(latest)
    return count


def sync_index(session: Session, index: SearchIndex, slugs: Iterable[str]) -> None:
    """Bring the index up to date for ``slugs``: upsert published, drop the rest."""
    slugs = set(slugs)
    if not slugs:
        return
    docs = published_documents(session, slugs)
    index.upsert(docs)
    gone = slugs - {d.slug for d in docs}
    if gone:
        index.delete(gone)


@dataclass
class IndexCheck:
    missing: list[str]
    stale: list[str]
    extra: list[str]

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check_index(session: Session, index: SearchIndex, *, repair: bool = True) -> IndexCheck:
    """Compare index and database; with ``repair``, fix every difference found."""
    if not index.ensure_ready():
        docs = published_documents(session)
        if repair:
            rebuild_index(session, index)
        return IndexCheck([d.slug for d in docs], [], [])
    wanted = {d.slug: d for d in published_documents(session)}
    have = index.fingerprints()
    result = IndexCheck(
        missing=sorted(set(wanted) - set(have)),
        stale=sorted(s for s in set(wanted) & set(have) if wanted[s].fingerprint != have[s]),
        extra=sorted(set(have) - set(wanted)),
    )
    if repair and not result.clean:
        index.upsert(wanted[s] for s in result.missing + result.stale)
        if result.extra:
            index.delete(result.extra)
    return result


def ensure_index(session: Session, index: SearchIndex) -> bool:
    """Rebuild a missing, unreadable or outdated index; True when it had to."""
    if index.ensure_ready():
        return False
    rebuild_index(session, index)
    return True



GAP_SECONDS = 60.0
STATE_FILE = "changes.json"


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

    def _load(self) -> _State:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return _State(int(data["applied"]), {int(k): float(v) for k, v in data["gaps"].items()})
        except (OSError, ValueError, KeyError, TypeError):
            return _State()

    def _save(self, state: _State) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{STATE_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"applied": state.applied, "gaps": state.gaps}), encoding="utf-8")
        tmp.replace(self.path)

    def mark_rebuilt(self, applied: int) -> None:
        """After a full rebuild from the database as of change ``applied``."""
        with self._lock:
            self._save(_State(applied))
            self._seen = -1

    def catch_up(self, session: Session, latest: int | None = None) -> int:
        """Apply changes this index has not seen; returns how many practices were synced.

        ``latest``: the highest change-log id, when the caller has just read it.
        """
        if latest is None:
            latest = session.scalar(select(func.max(ChangeLog.id))) or 0
        if latest <= self._seen:
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
            sync_index(session, self.index, slugs)
            state.applied = top
            self._save(state)
            # While gaps are open, look again on every call.
            self._seen = -1 if state.gaps else top
            return len(slugs)


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
