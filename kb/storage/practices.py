"""Practices: save, read back as records, list and look up.

Rendez-vous are in ``events``, the rows the search index reads in ``index_rows``,
the registry and change-log lookups in ``registry``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from functools import cache

from sqlalchemy import Select, insert, select
from sqlalchemy.orm import Session, selectinload

from kb.corpus import (
    EventRecord,
    PartnerRef,
    PracticeRecord,
    SourceRef,
)
from kb.models import (
    CITY,
    DISTRICT,
    LANDLORD,
    PARTNER,
    ChangeLog,
    Inspiration,
    Organisation,
    Practice,
    PracticeAudience,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
    Source,
)
from kb.storage.resolver import Resolver
from kb.taxonomy import label_key


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


# Values ``_plain`` returns as they are, without a call: most of a record's are these.
_LEAVES = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})


def _plain(value):
    """``dataclasses.asdict`` as JSON sees it, without its deep copy of every leaf
    (which was a fifth of an import): dataclasses become dicts, sequences lists."""
    if type(value) in _LEAVES:
        return value
    if isinstance(value, list | tuple):
        return [v if type(v) in _LEAVES else _plain(v) for v in value]
    if isinstance(value, dict):
        return {k: v if type(v) in _LEAVES else _plain(v) for k, v in value.items()}
    if is_dataclass(value):
        return {name: v if type(v := getattr(value, name)) in _LEAVES else _plain(v)
                for name in _field_names(type(value))}
    return value


def identity_hash(record: PracticeRecord | EventRecord, resolver: Resolver) -> str:
    """A hash of what a record *means*: labels by key, organisations resolved.

    Re-importing an exported file (which writes canonical labels) is therefore
    "unchanged", as is a file whose only change is a label's accents.
    """
    data = _plain(record)
    for name in ("themes", "cities", "districts", "audiences"):
        if name in data:
            data[name] = [label_key(label) for label in data[name]]
    for name in ("landlords", "organisers"):
        if name in data:
            data[name] = [resolver.organisation_slug(n) for n in data[name]]
    if "partners" in data:
        data["partners"] = [[resolver.organisation_slug(p["name"]), p["role"]]
                            for p in data["partners"]]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def source_rows(sources: list[SourceRef]) -> list[Source]:
    return [Source(position=i, title=s.title, url=s.url, date=s.date, publisher=s.publisher)
            for i, s in enumerate(sources)]


def save_practice(session: Session, resolver: Resolver, record: PracticeRecord,
                  existing: Practice | None, *, published: bool = True) -> str:
    """Create or update the practice of ``record``: 'created', 'updated' or 'unchanged'."""
    digest = identity_hash(record, resolver)
    if existing is not None and existing.content_hash == digest and existing.published == published:
        return "unchanged"
    practice = existing or Practice(slug=record.slug)
    if existing is not None:
        for collection in (practice.organisations, practice.themes, practice.places,
                           practice.audiences, practice.sources, practice.inspirations):
            collection.clear()
        session.flush()  # deletes first, or the unique constraints trip on re-insert
    else:
        session.add(practice)
    for field_ in ("title", "summary", "body", "status", "started", "ended", "evidence",
                   "contact", "licence", "last_verified"):
        setattr(practice, field_, getattr(record, field_))
    practice.published = published
    practice.content_hash = digest
    orgs = [(LANDLORD, name, None, "bailleur social") for name in record.landlords]
    orgs += [(PARTNER, p.name, p.role, "autre") for p in record.partners]
    seen: set[tuple[int, str]] = set()
    for position, (relation, name, role, kind) in enumerate(orgs):
        org = resolver.organisation(name, kind)
        # id() rather than org.id: a new organisation has no id until a flush.
        if (id(org), relation) in seen:
            continue  # two aliases of one organisation in one list
        seen.add((id(org), relation))
        practice.organisations.append(PracticeOrganisation(
            organisation=org, relation=relation, role=role, position=position))
    practice.themes.extend(PracticeTheme(theme=resolver.theme(t), position=i)
                           for i, t in enumerate(record.themes))
    places = [resolver.place(CITY, c) for c in record.cities]
    places += [resolver.place(DISTRICT, d) for d in record.districts]
    practice.places.extend(PracticePlace(place=p, position=i) for i, p in enumerate(places))
    practice.audiences.extend(PracticeAudience(audience=resolver.audience(a), position=i)
                              for i, a in enumerate(record.audiences))
    practice.sources.extend(source_rows(record.sources))
    practice.inspirations.extend(Inspiration(target_slug=s, position=i)
                                 for i, s in enumerate(record.inspired_by))
    log_change(session, record.slug, "publish" if published else "withdraw")
    return "updated" if existing is not None else "created"


def create_practices(session: Session, resolver: Resolver, records: list[PracticeRecord],
                     *, published: bool = True) -> None:
    """Insert many new practices at once (bulk statements, not one unit of work each).

    The same rows as ``save_practice`` would write; used by large imports.
    """
    if not records:
        return
    resolved = []
    for record in records:
        orgs = [(LANDLORD, resolver.organisation(n, "bailleur social"), None)
                for n in record.landlords]
        orgs += [(PARTNER, resolver.organisation(p.name), p.role) for p in record.partners]
        places = [resolver.place(CITY, c) for c in record.cities]
        places += [resolver.place(DISTRICT, d) for d in record.districts]
        resolved.append((record, orgs, [resolver.theme(t) for t in record.themes], places,
                         [resolver.audience(a) for a in record.audiences],
                         identity_hash(record, resolver)))
    session.flush()  # new organisations and labels get their ids
    fields = ("slug", "title", "summary", "body", "status", "started", "ended", "evidence",
              "contact", "licence", "last_verified")
    # Core statements on the tables: the ORM's bulk path walks every row in Python
    # (defaults, keys) for the same SQL, a third of this step. No RETURNING: SQLite
    # cannot keep its rows in order in one statement, so it ran one per practice;
    # the new ids are read back by slug (unique) instead.
    session.execute(insert(Practice.__table__), [
        {**{f: getattr(r[0], f) for f in fields}, "published": published, "content_hash": r[5]}
        for r in resolved])
    slugs = [r[0].slug for r in resolved]
    by_slug: dict[str, int] = {}
    for chunk in range(0, len(slugs), 5000):  # stay under bound-parameter limits
        by_slug.update((slug, id_) for slug, id_ in session.execute(
            select(Practice.slug, Practice.id).where(Practice.slug.in_(slugs[chunk:chunk + 5000]))))
    ids = [by_slug[slug] for slug in slugs]
    links: dict[type, list[dict]] = {m: [] for m in (
        PracticeOrganisation, PracticeTheme, PracticePlace, PracticeAudience, Source, Inspiration)}
    for practice_id, (record, orgs, themes, places, audiences, _hash) in zip(ids, resolved,
                                                                                strict=True):
        seen: set[tuple[int, str]] = set()
        for position, (relation, org, role) in enumerate(orgs):
            if (org.id, relation) not in seen:
                seen.add((org.id, relation))
                links[PracticeOrganisation].append(dict(
                    practice_id=practice_id, organisation_id=org.id, relation=relation,
                    role=role, position=position))
        for model, key, values in ((PracticeTheme, "theme_id", themes),
                                   (PracticePlace, "place_id", places),
                                   (PracticeAudience, "audience_id", audiences)):
            links[model].extend(dict(practice_id=practice_id, position=i, **{key: v.id})
                                for i, v in enumerate(values))
        links[Source].extend(dict(practice_id=practice_id, position=i, title=src.title,
                                  url=src.url, date=src.date, publisher=src.publisher)
                             for i, src in enumerate(record.sources))
        links[Inspiration].extend(dict(practice_id=practice_id, position=i, target_slug=slug)
                                  for i, slug in enumerate(record.inspired_by))
    for model, rows in links.items():
        if rows:
            session.execute(insert(model.__table__), rows)
    action = "publish" if published else "withdraw"
    session.execute(insert(ChangeLog.__table__), [{"practice_slug": r.slug, "action": action}
                                                  for r in records])


def log_change(session: Session, slug: str, action: str) -> None:
    session.add(ChangeLog(practice_slug=slug, action=action))


def practice_record(practice: Practice) -> PracticeRecord:
    """The record of a stored practice: what export writes."""
    return PracticeRecord(
        slug=practice.slug,
        title=practice.title,
        summary=practice.summary,
        themes=[link.theme.label for link in practice.themes],
        landlords=[link.organisation.name for link in practice.orgs(LANDLORD)],
        partners=[PartnerRef(link.organisation.name, link.role)
                  for link in practice.orgs(PARTNER)],
        cities=[p.label for p in practice.place_list(CITY)],
        districts=[p.label for p in practice.place_list(DISTRICT)],
        audiences=[link.audience.label for link in practice.audiences],
        status=practice.status,
        started=practice.started,
        ended=practice.ended,
        evidence=practice.evidence,
        inspired_by=[i.target_slug for i in practice.inspirations],
        sources=[SourceRef(s.title, s.url, s.date, s.publisher) for s in practice.sources],
        contact=practice.contact,
        licence=practice.licence,
        last_verified=practice.last_verified,
        body=practice.body,
        explicit_slug=False,
    )


def _practice_options(stmt: Select) -> Select:
    return stmt.options(
        selectinload(Practice.organisations).selectinload(PracticeOrganisation.organisation)
        .selectinload(Organisation.aliases),
        selectinload(Practice.themes), selectinload(Practice.places),
        selectinload(Practice.audiences), selectinload(Practice.sources),
        selectinload(Practice.inspirations),
    )


def find_practices(session: Session, *, published_only: bool = True,
                   slugs: Iterable[str] | None = None) -> list[Practice]:
    """Practices with every relation loaded in a fixed number of queries."""
    stmt = _practice_options(select(Practice)).order_by(Practice.slug)
    if published_only:
        stmt = stmt.where(Practice.published.is_(True))
    if slugs is not None:
        stmt = stmt.where(Practice.slug.in_(list(slugs)))
    return list(session.scalars(stmt))


def practices_by_slug(session: Session) -> dict[str, Practice]:
    """Every practice, published or not, with relations, keyed by slug (for imports)."""
    return {p.slug: p for p in find_practices(session, published_only=False)}


def get_practice(session: Session, slug: str, *, published_only: bool = True) -> Practice | None:
    stmt = _practice_options(select(Practice).where(Practice.slug == slug))
    if published_only:
        stmt = stmt.where(Practice.published.is_(True))
    return session.scalars(stmt).first()
