"""The thesaurus of the field: import, moderation and public proposals.

Groups come from ``practices/_thesaurus.yaml`` (``kb import``/``kb init``) and
from moderators, who add, edit and remove groups, and accept or refuse the
groups anyone may propose through the public form. Every moderator action goes
to the audit log. The search reads the groups itself (``kb.services.search``,
``thesaurus_map``): an edit counts at the next search.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from kb import storage
from kb.corpus.thesaurus import ThesaurusRecord, check_group, clashes, term_key
from kb.messages import N_
from kb.models import Moderator, ThesaurusGroup, ThesaurusProposal
from kb.services.moderation import audit


class GroupError(ValueError):
    """A group refused, with French messages by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def find_groups(session: Session) -> list[ThesaurusGroup]:
    return storage.thesaurus_groups(session)


def _lines(text: str) -> list[str]:
    return [line for line in (" ".join(raw.split()) for raw in str(text).splitlines()) if line]


def group_from_form(form: Mapping[str, str]) -> ThesaurusRecord:
    """The record typed in a thesaurus form (one term a line); GroupError lists what is wrong."""
    data: dict[str, Any] = {"terms": _lines(form.get("terms", "")),
                            "narrower": _lines(form.get("narrower", ""))}
    title, url = form.get("source_title", "").strip(), form.get("source_url", "").strip()
    if title or url:
        data["source"] = {"title": title, "url": url}
    record, errors = check_group(data)
    if record is None:
        raise GroupError(errors)
    return record


def _check_free(session: Session, record: ThesaurusRecord, exclude: int | None = None) -> None:
    """A term is equivalent in one group only (a group may keep its own terms)."""
    others = [storage.thesaurus_record(g) for g in storage.thesaurus_groups(session)
              if g.id != exclude]
    taken = clashes(record, others)
    if taken is not None:
        owner = next(r.label for r in others if term_key(taken) in {term_key(t) for t in r.terms})
        raise GroupError({"terms": N_("le terme « %(term)s » est déjà dans le groupe "
                                      "« %(label)s »", term=taken, label=owner)})


def import_thesaurus(session: Session, records: list[ThesaurusRecord]) -> dict[str, int]:
    """Create or update the groups of a registry file; groups absent from it stay."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for record in records:
        counts[storage.save_thesaurus_group(session, record)] += 1
    session.flush()
    return counts


def add_group(session: Session, record: ThesaurusRecord, moderator: Moderator) -> None:
    _check_free(session, record)
    storage.save_thesaurus_group(session, record)
    audit(session, moderator, "thesaurus-add", f"thesaurus:{record.label}")


def edit_group(session: Session, group_id: int, record: ThesaurusRecord,
               moderator: Moderator) -> bool:
    """Replace the group ``group_id`` (its first term may change); False when it does not exist."""
    group = storage.get_thesaurus_group(session, group_id)
    if group is None:
        return False
    _check_free(session, record, exclude=group_id)
    storage.save_thesaurus_group(session, record, group)
    audit(session, moderator, "thesaurus-edit", f"thesaurus:{record.label}")
    return True


def remove_group(session: Session, group_id: int, moderator: Moderator) -> str | None:
    label = storage.delete_thesaurus_group(session, group_id)
    if label is not None:
        audit(session, moderator, "thesaurus-remove", f"thesaurus:{label}")
    return label


def propose_group(session: Session, record: ThesaurusRecord) -> None:
    """Keep a public proposal for the moderators; nothing is published yet."""
    storage.add_thesaurus_proposal(session, record)


def find_proposals(session: Session) -> list[ThesaurusProposal]:
    return storage.thesaurus_proposals(session)


def proposal_clash(session: Session, proposal: ThesaurusProposal) -> str | None:
    """The label of the published group a proposal would replace (same first term), or None."""
    group = storage.thesaurus_group_by_label(session, proposal.label)
    return group.label if group is not None else None


def accept_proposal(session: Session, proposal_id: int, moderator: Moderator) -> str | None:
    """Publish a proposal (replacing the group of the same first term); its label, or None.

    GroupError when one of its terms is already equivalent in another group.
    """
    proposal = storage.get_thesaurus_proposal(session, proposal_id)
    if proposal is None:
        return None
    record = storage.thesaurus_record(proposal)
    same = storage.thesaurus_group_by_label(session, record.label)
    _check_free(session, record, exclude=same.id if same is not None else None)
    outcome = storage.save_thesaurus_group(session, record, same)
    session.delete(proposal)
    audit(session, moderator, "thesaurus-accept", f"thesaurus:{record.label}",
          None if outcome == "created" else "remplace le groupe précédent")
    return record.label


def refuse_proposal(session: Session, proposal_id: int, moderator: Moderator) -> str | None:
    proposal = storage.get_thesaurus_proposal(session, proposal_id)
    if proposal is None:
        return None
    session.delete(proposal)
    audit(session, moderator, "thesaurus-refuse", f"thesaurus:{proposal.label}")
    return proposal.label
