"""Glossary terms and the proposals awaiting moderation."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kb.corpus.glossary import GlossaryRecord
from kb.models import (
    GlossaryProposal,
    GlossaryTerm,
)

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
