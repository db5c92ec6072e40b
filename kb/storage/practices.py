"""Practices and rendez-vous: save, read back as records, list and look up."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session, selectinload

from kb.corpus import (
    EventRecord,
    OrganisationRecord,
    PartnerRef,
    PracticeRecord,
    SourceRef,
    ThemeRecord,
)
from kb.models import (
    CITY,
    DISTRICT,
    LANDLORD,
    PARTNER,
    Audience,
    ChangeLog,
    Event,
    EventOrganiser,
    EventPractice,
    EventTheme,
    Inspiration,
    Organisation,
    OrganisationAlias,
    Place,
    Practice,
    PracticeAudience,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
    Source,
    Theme,
)
from kb.storage.resolver import Resolver
from kb.taxonomy import label_key


def identity_hash(record: PracticeRecord | EventRecord, resolver: Resolver) -> str:
    """A hash of what a record *means*: labels by key, organisations resolved.

    Re-importing an exported file (which writes canonical labels) is therefore
    "unchanged", as is a file whose only change is a label's accents.
    """
    data = asdict(record)
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


def _sources(sources: list[SourceRef]) -> list[Source]:
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
    practice.sources.extend(_sources(record.sources))
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
    ids = session.scalars(
        insert(Practice).returning(Practice.id, sort_by_parameter_order=True),
        [{**{f: getattr(r[0], f) for f in fields}, "published": published, "content_hash": r[5]}
         for r in resolved],
    ).all()
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
            session.execute(insert(model), rows)
    action = "publish" if published else "withdraw"
    session.execute(insert(ChangeLog), [{"practice_slug": r.slug, "action": action}
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


def save_event(session: Session, resolver: Resolver, record: EventRecord,
               existing: Event | None) -> str:
    digest = identity_hash(record, resolver)
    if existing is not None and existing.content_hash == digest:
        return "unchanged"
    event = existing or Event(slug=record.slug)
    if existing is not None:
        for collection in (event.organisers, event.themes, event.presentations, event.sources):
            collection.clear()
        session.flush()
    else:
        session.add(event)
    for field_ in ("title", "date", "end_date", "place", "summary", "body"):
        setattr(event, field_, getattr(record, field_))
    event.content_hash = digest
    event.organisers.extend(EventOrganiser(organisation=resolver.organisation(n), position=i)
                            for i, n in enumerate(record.organisers))
    event.themes.extend(EventTheme(theme=resolver.theme(t), position=i)
                        for i, t in enumerate(record.themes))
    event.presentations.extend(EventPractice(practice_slug=s, position=i)
                               for i, s in enumerate(record.practices))
    event.sources.extend(_sources(record.sources))
    return "updated" if existing is not None else "created"


def event_record(event: Event) -> EventRecord:
    return EventRecord(
        slug=event.slug, title=event.title, date=event.date, end_date=event.end_date,
        organisers=[o.organisation.name for o in event.organisers], place=event.place,
        themes=[t.theme.label for t in event.themes], summary=event.summary,
        practices=[p.practice_slug for p in event.presentations],
        sources=[SourceRef(s.title, s.url, s.date, s.publisher) for s in event.sources],
        body=event.body,
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


@dataclass
class PracticeRows:
    """Published practices as plain rows, with their labels, for the search index.

    Read with a few set-based queries rather than the ORM: hydrating objects for
    every link of ten thousand practices costs more than indexing them.
    """

    practices: list  # rows of the practices table
    themes: dict[int, list[tuple[str, str]]]  # practice id -> (slug, label), in order
    places: dict[int, list[tuple[str, str, str]]]  # -> (kind, slug, label)
    audiences: dict[int, list[tuple[str, str]]]
    organisations: dict[int, list[tuple[str, str, str, int]]]  # -> (relation, slug, name, org id)
    aliases: dict[int, list[str]]  # org id -> aliases


def published_rows(session: Session, slugs: Iterable[str] | None = None) -> PracticeRows:
    stmt = select(Practice.__table__).where(Practice.published.is_(True)).order_by(Practice.slug)
    if slugs is not None:
        stmt = stmt.where(Practice.slug.in_(list(slugs)))
    practices = session.execute(stmt).all()
    ids = [p.id for p in practices]
    rows = PracticeRows(practices, {}, {}, {}, {}, {})
    if not ids:
        return rows

    def grouped(query: Select) -> dict[int, list[tuple]]:
        result: dict[int, list[tuple]] = {}
        for chunk in range(0, len(ids), 5000):  # stay under bound-parameter limits
            for row in session.execute(query.where(query.selected_columns[0].in_(
                    ids[chunk:chunk + 5000]))):
                result.setdefault(row[0], []).append(tuple(row[1:]))
        return result

    rows.themes = grouped(select(PracticeTheme.practice_id, Theme.slug, Theme.label)
                          .join(Theme).order_by(PracticeTheme.practice_id, PracticeTheme.position))
    rows.places = grouped(select(PracticePlace.practice_id, Place.kind, Place.slug, Place.label)
                          .join(Place).order_by(PracticePlace.practice_id, PracticePlace.position))
    rows.audiences = grouped(
        select(PracticeAudience.practice_id, Audience.slug, Audience.label)
        .join(Audience).order_by(PracticeAudience.practice_id, PracticeAudience.position))
    rows.organisations = grouped(
        select(PracticeOrganisation.practice_id, PracticeOrganisation.relation, Organisation.slug,
               Organisation.name, Organisation.id)
        .join(Organisation)
        .order_by(PracticeOrganisation.practice_id, PracticeOrganisation.position))
    org_ids = {org[3] for links in rows.organisations.values() for org in links}
    for org_id, alias in session.execute(
            select(OrganisationAlias.organisation_id, OrganisationAlias.alias)
            .where(OrganisationAlias.organisation_id.in_(org_ids))
            .order_by(OrganisationAlias.id)):
        rows.aliases.setdefault(org_id, []).append(alias)
    return rows


def get_practice(session: Session, slug: str, *, published_only: bool = True) -> Practice | None:
    stmt = _practice_options(select(Practice).where(Practice.slug == slug))
    if published_only:
        stmt = stmt.where(Practice.published.is_(True))
    return session.scalars(stmt).first()


def find_events(session: Session) -> list[Event]:
    stmt = select(Event).options(
        selectinload(Event.organisers), selectinload(Event.themes),
        selectinload(Event.presentations), selectinload(Event.sources),
    ).order_by(Event.date, Event.slug)
    return list(session.scalars(stmt))


def all_slugs(session: Session, model: type[Practice] | type[Event]) -> set[str]:
    return set(session.scalars(select(model.slug)))


def registry_organisations(session: Session) -> list[OrganisationRecord]:
    orgs = session.scalars(select(Organisation).where(Organisation.in_registry.is_(True))
                           .options(selectinload(Organisation.aliases)).order_by(Organisation.slug))
    return [OrganisationRecord(o.name, o.kind, [a.alias for a in o.aliases
                                                if a.key != label_key(o.name)], o.website)
            for o in orgs]


def registry_themes(session: Session) -> list[ThemeRecord]:
    themes = session.scalars(select(Theme).where(Theme.in_registry.is_(True)).order_by(Theme.slug))
    return [ThemeRecord(t.label, t.description, t.label_en) for t in themes]


def latest_change(session: Session) -> int:
    return session.scalar(select(func.max(ChangeLog.id))) or 0
