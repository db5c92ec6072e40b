"""Keep the search index equal to the published practices of the database.

The database is the truth; the index is derived from it and always rebuildable.
Every change to a published practice goes through ``sync_index`` (incremental);
``rebuild_index`` rebuilds aside and swaps; ``check_index`` repairs drift.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kb import storage
from kb.models import CITY, DISTRICT, LANDLORD, PARTNER, Practice
from kb.search import IndexDocument, Named, SearchIndex
from kb.taxonomy import slugify


def _named_orgs(practice: Practice, relation: str) -> tuple[Named, ...]:
    return tuple(
        Named(link.organisation.slug, link.organisation.name,
              tuple(a.alias for a in link.organisation.aliases))
        for link in practice.orgs(relation)
    )


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value else None


def practice_document(practice: Practice) -> IndexDocument:
    """What the index holds of one published practice."""
    doc = IndexDocument(
        slug=practice.slug,
        title=practice.title,
        summary=practice.summary,
        body=practice.body,
        themes=tuple(Named(t.theme.slug, t.theme.label) for t in practice.themes),
        landlords=_named_orgs(practice, LANDLORD),
        partners=_named_orgs(practice, PARTNER),
        cities=tuple(Named(p.slug, p.label) for p in practice.place_list(CITY)),
        districts=tuple(Named(p.slug, p.label) for p in practice.place_list(DISTRICT)),
        audiences=tuple(Named(a.audience.slug, a.audience.label) for a in practice.audiences),
        status=Named(slugify(practice.status), practice.status) if practice.status else None,
        evidence=Named(slugify(practice.evidence), practice.evidence) if practice.evidence else None,
        start_year=_year(practice.started),
        updated=practice.updated_at,
    )
    digest = hashlib.sha256(repr(doc).encode()).hexdigest()[:32]
    return IndexDocument(**{**doc.__dict__, "fingerprint": digest})


def published_documents(session: Session, slugs: Iterable[str] | None = None) -> list[IndexDocument]:
    return [practice_document(p) for p in storage.find_practices(session, slugs=slugs)]


def rebuild_index(session: Session, index: SearchIndex,
                  progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database (built aside, then swapped in)."""
    return index.rebuild(published_documents(session), progress=progress)


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
            index.rebuild(docs)
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
