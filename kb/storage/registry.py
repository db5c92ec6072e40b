"""The registries of organisations, themes and audiences, every slug of a kind, the latest change."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kb.corpus import AudienceRecord, OrganisationRecord, ThemeRecord
from kb.models import Audience, ChangeLog, Event, Organisation, Practice, Theme
from kb.taxonomy import label_key


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


def registry_audiences(session: Session) -> list[AudienceRecord]:
    """The audience registry as written back to ``_audiences.yaml``."""
    rows = session.scalars(select(Audience).where(Audience.in_registry.is_(True))
                           .order_by(Audience.slug))
    return [AudienceRecord(a.label, a.label_en) for a in rows]


def latest_change(session: Session) -> int:
    return session.scalar(select(func.max(ChangeLog.id))) or 0
