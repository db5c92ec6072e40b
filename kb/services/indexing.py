"""Keep the search index equal to the published practices of the database.

The database is the truth; the index is derived from it and always rebuildable.
Every change to a published practice goes through ``sync_index`` (incremental);
``rebuild_index`` rebuilds aside and swaps; ``check_index`` repairs drift.

Several machines: each keeps its own index and follows the database's change log
(``kb.services.follower``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from kb.models import CITY, DISTRICT, LANDLORD, PARTNER
from kb.search import DeferredDocuments, IndexDocument, Named, SearchIndex
from kb.search.store import quiet_leaks
from kb.services.follower import follower_for
from kb.taxonomy import slugify

if TYPE_CHECKING:
    from kb import storage


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value else None


def _document(row, rows: storage.PracticeRows) -> IndexDocument:
    orgs = [(rel, slug, name, tuple(rows.aliases.get(org_id, ())))
            for rel, slug, name, org_id in rows.organisations.get(row.id, ())]
    places = rows.places.get(row.id, [])
    themes = rows.themes.get(row.id, [])
    audiences = rows.audiences.get(row.id, [])
    # Everything the index takes from the practice, as strings and tuples, whose
    # repr is computed in C (the dataclasses' own took a third of a rebuild's reading);
    # the body, most of it, is hashed as it is.
    content = (row.slug, row.title, row.summary, themes, orgs, places, audiences,
               row.status, row.evidence, row.started, row.updated_at)
    body = row.body.encode()
    digest = hashlib.sha256(b"%d:" % len(body))  # the length first: no shift between parts
    digest.update(body)
    digest.update(repr(content).encode())

    def named_orgs(relation: str) -> tuple[Named, ...]:
        return tuple(Named(slug, name, aliases) for rel, slug, name, aliases in orgs
                     if rel == relation)

    return IndexDocument(
        slug=row.slug,
        title=row.title,
        summary=row.summary,
        body=row.body,
        themes=tuple(Named(*t) for t in themes),
        landlords=named_orgs(LANDLORD),
        partners=named_orgs(PARTNER),
        cities=tuple(Named(slug, label) for kind, slug, label in places if kind == CITY),
        districts=tuple(Named(slug, label) for kind, slug, label in places if kind == DISTRICT),
        audiences=tuple(Named(*a) for a in audiences),
        status=Named(slugify(row.status), row.status) if row.status else None,
        evidence=Named(slugify(row.evidence), row.evidence) if row.evidence else None,
        start_year=_year(row.started),
        updated=row.updated_at,
        fingerprint=digest.hexdigest()[:32],
    )


def published_documents(session: Session, slugs: Iterable[str] | None = None) -> list[IndexDocument]:
    """What the index holds of the published practices (all, or those of ``slugs``)."""
    # kb.storage (and the corpus parser it brings) is imported here: searching,
    # which only follows the change log, never needs it.
    from kb import storage

    rows = storage.published_rows(session, slugs)
    return [_document(row, rows) for row in rows.practices]


def deferred_documents(session: Session) -> DeferredDocuments:
    """``published_documents(session)``, each made only when the rebuild reads it."""
    from kb import storage

    rows = storage.published_rows(session)
    return DeferredDocuments(rows.practices, partial(_document, rows=rows),
                             [row.slug for row in rows.practices])


def rebuild_index(session: Session, index: SearchIndex,
                  progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database (built aside, then swapped in)."""
    # Read the watermark first: a change made while we read is applied again later.
    from kb import storage

    latest = storage.latest_change(session)
    count = index.rebuild(deferred_documents(session), progress=progress)
    follower_for(index).mark_rebuilt(latest)
    return count


# Upserting a practice costs about eight times its share of a full rebuild
# (10,000 practices: 85 s upserted one by one into a small index, 11 s rebuilt).
UPSERT_COST = 6  # rounded down: below the break-even point, upsert
REBUILD_FROM = 200  # and a rebuild's fixed costs outweigh a few upserts


def rebuild_is_faster(session: Session, slugs: set[str]) -> bool:
    """True if rebuilding the whole index beats upserting ``slugs`` (an import of a
    large folder into a base that already has an index, or following one)."""
    from kb import storage

    return (len(slugs) >= REBUILD_FROM
            and len(slugs) * UPSERT_COST >= storage.count_published(session))


def apply_changes(session: Session, index: SearchIndex, slugs: Iterable[str]) -> bool:
    """Bring the index up to date after a change to ``slugs``: ``sync_index``, or a
    full rebuild when that is faster. True when it rebuilt."""
    slugs = set(slugs)
    if rebuild_is_faster(session, slugs):
        rebuild_index(session, index)
        return True
    sync_index(session, index, slugs)
    return False


def sync_index(session: Session, index: SearchIndex, slugs: Iterable[str]) -> None:
    """Bring the index up to date for ``slugs``: upsert published, drop the rest.

    An index that cannot be written (a full disk) raises ``OSError``: the change is
    in the change log, for the follower and ``kb check-index`` to apply later.
    """
    slugs = set(slugs)
    if not slugs:
        return
    docs = published_documents(session, slugs)
    written(index.upsert, docs)
    gone = slugs - {d.slug for d in docs}
    if gone:
        written(index.delete, gone)


def written(write: Callable[..., object], *args: object) -> None:
    """``write(*args)``; an ``OSError`` is raised again once the files Whoosh left
    open in its traceback are closed (on a full disk they would hold its space)."""
    error: OSError | None = None
    with quiet_leaks() as failed:
        try:
            write(*args)
        except OSError as exc:
            failed.append(True)
            error = OSError(exc.errno, exc.strerror, exc.filename)
    if error is not None:
        raise error


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
    from kb import storage

    if not index.ensure_ready():
        docs = published_documents(session)
        if repair:
            rebuild_index(session, index)
        return IndexCheck([d.slug for d in docs], [], [])
    # Read first, as for a rebuild: a change made meanwhile is applied again later.
    latest = storage.latest_change(session)
    wanted = {d.slug: d for d in published_documents(session)}
    have = index.fingerprints()
    result = IndexCheck(
        missing=sorted(set(wanted) - set(have)),
        stale=sorted(s for s in set(wanted) & set(have) if wanted[s].fingerprint != have[s]),
        extra=sorted(set(have) - set(wanted)),
    )
    if repair and not result.clean:
        written(index.upsert, [wanted[s] for s in result.missing + result.stale])
        if result.extra:
            written(index.delete, result.extra)
    if repair:
        # The index now equals the database: what the change follower missed (a write
        # refused by a full disk) need not be applied again.
        follower_for(index).mark_rebuilt(latest)
    return result


def ensure_index(session: Session, index: SearchIndex) -> bool:
    """Rebuild a missing, unreadable or outdated index; True when it had to."""
    if index.ensure_ready():
        return False
    rebuild_index(session, index)
    return True
