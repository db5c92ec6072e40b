"""Thesaurus groups and the proposals awaiting moderation."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kb.corpus.thesaurus import ThesaurusRecord
from kb.models import ThesaurusGroup, ThesaurusProposal


def _lines(terms: tuple[str, ...]) -> str:
    return "\n".join(terms)


def split_terms(text: str | None) -> tuple[str, ...]:
    """The terms of a ``terms`` or ``narrower`` column (one a line)."""
    return tuple(t for t in (text or "").split("\n") if t)


def thesaurus_groups(session: Session) -> list[ThesaurusGroup]:
    """Every group, by first term."""
    return list(session.scalars(select(ThesaurusGroup).order_by(ThesaurusGroup.label)))


def get_thesaurus_group(session: Session, group_id: int) -> ThesaurusGroup | None:
    return session.get(ThesaurusGroup, group_id)


def thesaurus_group_by_label(session: Session, label: str) -> ThesaurusGroup | None:
    return session.scalar(select(ThesaurusGroup).where(ThesaurusGroup.label == label))


def thesaurus_record(row: ThesaurusGroup | ThesaurusProposal) -> ThesaurusRecord:
    return ThesaurusRecord(split_terms(row.terms), split_terms(row.narrower), row.source_title,
                           row.source_url)


def _columns(record: ThesaurusRecord) -> dict:
    return {"label": record.label, "terms": _lines(record.terms),
            "narrower": _lines(record.narrower), "source_title": record.source_title,
            "source_url": record.source_url}


def save_thesaurus_group(session: Session, record: ThesaurusRecord,
                         group: ThesaurusGroup | None = None) -> str:
    """Create or update ``group`` (else the group named like ``record``): created/updated/unchanged."""
    if group is None:
        group = thesaurus_group_by_label(session, record.label)
    if group is None:
        session.add(ThesaurusGroup(**_columns(record)))
        return "created"
    if thesaurus_record(group) == record:
        return "unchanged"
    for name, value in _columns(record).items():
        setattr(group, name, value)
    return "updated"


def delete_thesaurus_group(session: Session, group_id: int) -> str | None:
    """Remove a group; its label, or None when there was none."""
    group = session.get(ThesaurusGroup, group_id)
    if group is None:
        return None
    label = group.label
    session.execute(delete(ThesaurusGroup).where(ThesaurusGroup.id == group_id))
    return label


def registry_thesaurus(session: Session) -> list[ThesaurusRecord]:
    return [thesaurus_record(g) for g in thesaurus_groups(session)]


def add_thesaurus_proposal(session: Session, record: ThesaurusRecord) -> ThesaurusProposal:
    proposal = ThesaurusProposal(**_columns(record))
    session.add(proposal)
    return proposal


def thesaurus_proposals(session: Session) -> list[ThesaurusProposal]:
    return list(session.scalars(select(ThesaurusProposal).order_by(ThesaurusProposal.id)))


def get_thesaurus_proposal(session: Session, proposal_id: int) -> ThesaurusProposal | None:
    return session.get(ThesaurusProposal, proposal_id)
