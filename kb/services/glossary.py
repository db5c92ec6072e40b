"""The glossary of the field: import, moderation, proposals, and marking practice pages.

Terms come from ``practices/_glossaire.yaml`` (``kb import``/``kb init``) and from
moderators, who add, edit and remove terms, and accept or refuse the terms
anyone may propose through the public form. Every moderator action goes to the
audit log. ``glossary_pairs`` feeds the search engine's acronym expansion.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from kb import storage
from kb.corpus.glossary import GlossaryRecord, check_term
from kb.glossary_markup import mark_acronyms
from kb.messages import N_
from kb.models import GlossaryTerm, Moderator
from kb.services.moderation import audit


class TermError(ValueError):
    """A term refused, with French messages by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def glossary_pairs(session: Session) -> list[tuple[str, str]]:
    """Every (acronym, expansion) pair, by acronym: what query-time expansion needs."""
    return [(t.acronym, t.expansion) for t in storage.glossary_terms(session)]


def find_terms(session: Session) -> list[GlossaryTerm]:
    return storage.glossary_terms(session)


def import_glossary(session: Session, records: list[GlossaryRecord]) -> dict[str, int]:
    """Create or update the terms of a registry file; terms absent from it stay."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for record in records:
        counts[storage.save_glossary_term(session, record)] += 1
    session.flush()
    return counts


def mark_practice(session: Session, summary: str, body_html: str) -> tuple[Markup, Markup]:
    """A practice's summary (plain text) and body (sanitised HTML), each acronym marked once."""
    terms, seen = dict(glossary_pairs(session)), set[str]()
    return (Markup(mark_acronyms(str(escape(summary)), terms, seen=seen)),
            Markup(mark_acronyms(str(body_html), terms, seen=seen)))


def term_from_form(form: Mapping[str, str]) -> GlossaryRecord:
    """The record typed in a glossary form; TermError lists what is wrong."""
    data: dict[str, Any] = {key: form.get(key, "") for key in ("acronym", "expansion", "definition")}
    data["acronym"] = " ".join(str(data["acronym"]).split()).upper()
    title, url = form.get("source_title", "").strip(), form.get("source_url", "").strip()
    if title or url:
        data["source"] = {"title": title, "url": url}
    record, errors = check_term(data)
    if record is None:
        raise TermError(errors)
    return record


def _taken(session: Session, acronym: str, exclude: str | None = None) -> None:
    if acronym != exclude and storage.get_glossary_term(session, acronym) is not None:
        raise TermError({"acronym": N_("le sigle « %(acronym)s » est déjà dans le glossaire",
                                       acronym=acronym)})


def add_term(session: Session, record: GlossaryRecord, moderator: Moderator) -> None:
    _taken(session, record.acronym)
    storage.save_glossary_term(session, record)
    audit(session, moderator, "glossary-add", f"glossaire:{record.acronym}")


def edit_term(session: Session, acronym: str, record: GlossaryRecord, moderator: Moderator) -> bool:
    """Replace the term ``acronym`` (it may be renamed); False when it does not exist."""
    if storage.get_glossary_term(session, acronym) is None:
        return False
    _taken(session, record.acronym, exclude=acronym)
    storage.save_glossary_term(session, record, previous=acronym)
    audit(session, moderator, "glossary-edit", f"glossaire:{record.acronym}")
    return True


def remove_term(session: Session, acronym: str, moderator: Moderator) -> bool:
    if not storage.delete_glossary_term(session, acronym):
        return False
    audit(session, moderator, "glossary-remove", f"glossaire:{acronym}")
    return True


def propose_term(session: Session, record: GlossaryRecord) -> None:
    """Keep a public proposal for the moderators; nothing is published yet."""
    storage.add_glossary_proposal(session, record)


def find_proposals(session: Session):
    return storage.glossary_proposals(session)


def accept_proposal(session: Session, proposal_id: int, moderator: Moderator) -> str | None:
    """Publish a proposal (replacing the term of the same acronym); its acronym, or None."""
    proposal = storage.get_glossary_proposal(session, proposal_id)
    if proposal is None:
        return None
    record = storage.glossary_record(proposal)
    outcome = storage.save_glossary_term(session, record)
    session.delete(proposal)
    audit(session, moderator, "glossary-accept", f"glossaire:{record.acronym}",
          None if outcome == "created" else "remplace la définition précédente")
    return record.acronym


def refuse_proposal(session: Session, proposal_id: int, moderator: Moderator) -> str | None:
    proposal = storage.get_glossary_proposal(session, proposal_id)
    if proposal is None:
        return None
    session.delete(proposal)
    audit(session, moderator, "glossary-refuse", f"glossaire:{proposal.acronym}")
    return proposal.acronym
