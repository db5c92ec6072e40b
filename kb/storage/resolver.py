"""Resolver: turns the names a practice file uses into registry rows (organisations,
themes, places, audiences), creating the missing ones."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.corpus import (
    AudienceRecord,
    OrganisationRecord,
    ThemeRecord,
)
from kb.models import (
    Audience,
    EventOrganiser,
    Organisation,
    OrganisationAlias,
    Place,
    Practice,
    PracticeAudience,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
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
        theme.label_en = record.label_en
        return theme

    def audience(self, label: str) -> Audience:
        key = label_key(label)
        audience = self.audiences.get(key)
        if audience is None:
            audience = self.audiences[key] = Audience(slug=key, label=label)
            self.session.add(audience)
        elif not audience.in_registry and self.relabel:
            self._set_label(audience, "label", best_label(audience.label, label))
        return audience

    def register_audience(self, record: AudienceRecord) -> Audience:
        audience = self.audience(record.label)
        self._set_label(audience, "label", record.label)
        audience.in_registry, audience.label_en = True, record.label_en
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
