"""Queries and upserts. Every function takes the session first and never commits."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from kb.corpus import (
    EventRecord,
    OrganisationRecord,
    PartnerRef,
    PracticeRecord,
    SourceRef,
    ThemeRecord,
)
from kb.corpus.glossary import GlossaryRecord
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
    GlossaryProposal,
    GlossaryTerm,
    Inspiration,
    Organisation,
    OrganisationAlias,
    Place,
    Practice,
    PracticeAudience,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
    SearchLogEntry,
    Source,
    Theme,
)
from kb.taxonomy import best_label, label_key


class Resolver:
    """Maps written names and labels to rows, creating what is new.

    Loads every organisation, alias and label once, so importing thousands of
    files costs no lookup query per label.

    With ``relabel`` (a corpus import: the administrator's files and registries),
    an existing label takes the best-written spelling met; without it (one
    contribution published by a moderator), existing labels are never changed.
    Every row whose label changed is remembered: ``relabelled_practices`` names
    the practices that show it, whose index entries must be updated.
    """

    def __init__(self, session: Session, *, relabel: bool = True):
        self.session = session
        self.relabel = relabel
        self.relabelled: set[tuple[type, int | None]] = set()
        self.orgs: dict[str, Organisation] = {}
        for alias in session.scalars(select(OrganisationAlias).options(
                selectinload(OrganisationAlias.organisation))):
            self.orgs[alias.key] = alias.organisation
        for org in session.scalars(select(Organisation)):
            self.orgs.setdefault(org.slug, org)
        self.themes = {t.slug: t for t in session.scalars(select(Theme))}
        self.audiences = {a.slug: a for a in session.scalars(select(Audience))}
        self.places = {(p.kind, p.slug): p for p in session.scalars(select(Place))}

    def organisation_slug(self, name: str) -> str:
        """The slug ``name`` resolves to, without creating anything."""
        org = self.orgs.get(label_key(name))
        return org.slug if org else label_key(name)

    def organisation(self, name: str, kind: str = "autre") -> Organisation:
        key = label_key(name)
        org = self.orgs.get(key)
        if org is None:
            org = Organisation(slug=key, name=name, kind=kind, in_registry=False)
            org.aliases.append(OrganisationAlias(alias=name, key=key))
            self.session.add(org)
            self.orgs[key] = org
        elif not org.in_registry and self.relabel:
            self._set_label(org, "name", best_label(org.name, name))
        return org

    def _set_label(self, row, attribute: str, label: str) -> None:
        if getattr(row, attribute) != label:
            setattr(row, attribute, label)
            self.relabelled.add((type(row), row.id))

    def relabelled_practices(self) -> set[str]:
        """Slugs of the practices showing a label this resolver changed."""
        links = {Organisation: (PracticeOrganisation, PracticeOrganisation.organisation_id),
                 Theme: (PracticeTheme, PracticeTheme.theme_id),
                 Place: (PracticePlace, PracticePlace.place_id),
                 Audience: (PracticeAudience, PracticeAudience.audience_id)}
        slugs: set[str] = set()
        for model, (link, column) in links.items():
            ids = [row_id for kind, row_id in self.relabelled if kind is model and row_id is not None]
            for chunk in range(0, len(ids), 500):
                slugs.update(self.session.scalars(
                    select(Practice.slug).join(link, link.practice_id == Practice.id)
                    .where(column.in_(ids[chunk:chunk + 500]))))
        return slugs

    def register_organisation(self, record: OrganisationRecord) -> Organisation:
        """Create or update a registry organisation; its aliases take over their keys."""
        key = label_key(record.name)
        org = self.orgs.get(key)
        if org is None:
            org = Organisation(slug=key, name=record.name, kind=record.kind)
            self.session.add(org)
        self._set_label(org, "name", record.name)
        org.kind, org.website, org.in_registry = record.kind, record.website, True
        wanted = {label_key(n): n for n in [record.name, *record.aliases]}
        for alias in list(org.aliases):
            if alias.key not in wanted:
                org.aliases.remove(alias)
                self.orgs.pop(alias.key, None)
        have = {alias.key for alias in org.aliases}
        for alias_key, written in wanted.items():
            other = self.orgs.get(alias_key)
            if other is not None and other is not org:
                # A name first seen alone, now declared an alias: merge it in.
                self._merge(other, org)
            if alias_key not in have:
                org.aliases.append(OrganisationAlias(alias=written, key=alias_key))
            self.orgs[alias_key] = org
        self.session.flush()
        return org

    def _merge(self, old: Organisation, into: Organisation) -> None:
        self.session.flush()
        for model in (PracticeOrganisation, EventOrganiser):
            for link in self.session.scalars(select(model).where(model.organisation_id == old.id)):
                link.organisation = into
        for alias in list(old.aliases):
            old.aliases.remove(alias)
        self.session.flush()
        self.session.delete(old)
        self.session.flush()
        for key, org in list(self.orgs.items()):
            if org is old:
                self.orgs[key] = into

    def theme(self, label: str) -> Theme:
        key = label_key(label)
        theme = self.themes.get(key)
        if theme is None:
            theme = self.themes[key] = Theme(slug=key, label=label, in_registry=False)
            self.session.add(theme)
        elif not theme.in_registry and self.relabel:
            self._set_label(theme, "label", best_label(theme.label, label))
        return theme

    def register_theme(self, record: ThemeRecord) -> Theme:
        theme = self.theme(record.label)
        self._set_label(theme, "label", record.label)
        theme.description, theme.in_registry = record.description, True
        return theme

    def audience(self, label: str) -> Audience:
        key = label_key(label)
        audience = self.audiences.get(key)
        if audience is None:
            audience = self.audiences[key] = Audience(slug=key, label=label)
            self.session.add(audience)
        elif self.relabel:
            self._set_label(audience, "label", best_label(audience.label, label))
        return audience

    def place(self, kind: str, label: str) -> Place:
        key = label_key(label)
        place = self.places.get((kind, key))
        if place is None:
            place = self.places[(kind, key)] = Place(kind=kind, slug=key, label=label)
            self.session.add(place)
        elif self.relabel:
            self._set_label(place, "label", best_label(place.label, label))
        return place


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
    return [ThemeRecord(t.label, t.description) for t in themes]


def latest_change(session: Session) -> int:
    return session.scalar(select(func.max(ChangeLog.id))) or 0


# -- what the contribution form proposes --------------------------------------------

def registry_theme_labels(session: Session) -> list[str]:
    return list(session.scalars(select(Theme.label).where(Theme.in_registry.is_(True))
                                .order_by(Theme.slug)))


def organisation_names(session: Session) -> list[str]:
    """Names and aliases of registry organisations and of those in published practices."""
    public = (select(PracticeOrganisation.organisation_id).join(Practice)
              .where(Practice.published.is_(True)))
    orgs = list(session.scalars(
        select(Organisation).where(Organisation.in_registry.is_(True) | Organisation.id.in_(public))
        .options(selectinload(Organisation.aliases))))
    names = {org.name for org in orgs} | {a.alias for org in orgs for a in org.aliases}
    return sorted(names, key=str.casefold)


def published_slugs(session: Session) -> set[str]:
    return set(session.scalars(select(Practice.slug).where(Practice.published.is_(True))))
# -- glossary ---------------------------------------------------------------------

_TERM_FIELDS = ("acronym", "expansion", "definition", "source_title", "source_url")


def glossary_terms(session: Session) -> list[GlossaryTerm]:
    """Every glossary term, by acronym."""
    return list(session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.acronym)))


def get_glossary_term(session: Session, acronym: str) -> GlossaryTerm | None:
    return session.scalar(select(GlossaryTerm).where(GlossaryTerm.acronym == acronym))


def glossary_record(row: GlossaryTerm | GlossaryProposal) -> GlossaryRecord:
    return GlossaryRecord(*(getattr(row, name) for name in _TERM_FIELDS))


def save_glossary_term(session: Session, record: GlossaryRecord,
                       previous: str | None = None) -> str:
    """Create or update the term ``previous`` (else ``record.acronym``): created/updated/unchanged."""
    term = get_glossary_term(session, previous or record.acronym)
    if term is None:
        session.add(GlossaryTerm(**asdict(record)))
        return "created"
    if glossary_record(term) == record:
        return "unchanged"
    for name in _TERM_FIELDS:
        setattr(term, name, getattr(record, name))
    return "updated"


def delete_glossary_term(session: Session, acronym: str) -> bool:
    return bool(session.execute(delete(GlossaryTerm).where(GlossaryTerm.acronym == acronym))
                .rowcount)


def registry_glossary(session: Session) -> list[GlossaryRecord]:
    return [glossary_record(t) for t in glossary_terms(session)]


def add_glossary_proposal(session: Session, record: GlossaryRecord) -> GlossaryProposal:
    proposal = GlossaryProposal(**asdict(record))
    session.add(proposal)
    return proposal


def glossary_proposals(session: Session) -> list[GlossaryProposal]:
    return list(session.scalars(select(GlossaryProposal).order_by(GlossaryProposal.id)))


def get_glossary_proposal(session: Session, proposal_id: int) -> GlossaryProposal | None:
    return session.get(GlossaryProposal, proposal_id)


# -- search log -------------------------------------------------------------------

@dataclass(frozen=True)
class SearchStat:
    """One query asked ``searches`` times; ``results`` is the most practices it found."""

    query: str
    filters: str
    searches: int
    results: int
    last_day: dt.date


def add_search_log(session: Session, rows: list[dict]) -> None:
    """Insert searches given as {day, query, filters, results}, in one statement."""
    if rows:
        session.execute(insert(SearchLogEntry), rows)


def _search_stats(session: Session, since: dt.date, limit: int,
                  max_results: int | None) -> list[SearchStat]:
    searches = func.count(SearchLogEntry.id)
    best = func.max(SearchLogEntry.results)
    stmt = (select(SearchLogEntry.query, SearchLogEntry.filters, searches, best,
                   func.max(SearchLogEntry.day))
            .where(SearchLogEntry.day >= since)
            .group_by(SearchLogEntry.query, SearchLogEntry.filters))
    if max_results is not None:
        stmt = stmt.having(best <= max_results)
    stmt = stmt.order_by(searches.desc(), SearchLogEntry.query, SearchLogEntry.filters).limit(limit)
    return [SearchStat(*row) for row in session.execute(stmt)]


def frequent_searches(session: Session, since: dt.date, limit: int = 50) -> list[SearchStat]:
    """The queries asked most often since ``since`` (a day, included)."""
    return _search_stats(session, since, limit, None)


def missed_searches(session: Session, since: dt.date, max_results: int,
                    limit: int = 50) -> list[SearchStat]:
    """Queries that never found more than ``max_results`` practices since ``since``."""
    return _search_stats(session, since, limit, max_results)


def count_searches(session: Session, since: dt.date) -> int:
    return session.scalar(select(func.count(SearchLogEntry.id))
                          .where(SearchLogEntry.day >= since)) or 0


def purge_search_log(session: Session, before: dt.date) -> int:
    """Delete the searches of days before ``before``; how many rows went."""
    return session.execute(delete(SearchLogEntry).where(SearchLogEntry.day < before)).rowcount or 0
