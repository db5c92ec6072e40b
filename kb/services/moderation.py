"""Moderation use cases: the queue, edit, publish, reject, merge, withdraw.

Every function takes a write session and never commits; the caller commits,
then brings the search index up to date for the slug returned
(``kb.services.indexing.sync_index``), so a published practice is searchable
at once and a withdrawn one disappears at once. Every action is written to the
audit log.

Publishing a contribution writes one revision, or two when a moderator edited
it: first the version the contributor sent (``public=False``: moderators only,
it may hold what moderation removed), then the version published.

A withdrawn practice is never put back online as a side effect: publishing a
correction to it, or merging a contribution into it, needs an explicit
``republish`` choice (True or False), else ``RepublishChoiceNeeded``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kb import storage
from kb.corpus import PracticeRecord
from kb.messages import N_, Message
from kb.models import (
    CONTRIBUTION_CORRECTION,
    CONTRIBUTION_NEW,
    PENDING,
    PUBLISHED,
    REJECTED,
    AuditLog,
    Contribution,
    Moderator,
    Practice,
)
from kb.services.contributions import revisions
from kb.services.contributions.submissions import (
    NotPending,
    contribution_record,
    record_from_json,
    record_to_json,
    submitted_record,
)
from kb.taxonomy import SLUG_MAX, slugify


class ModerationError(ValueError):
    """The action cannot be done; ``message`` says why (French, translated by the web layer)."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message


class RepublishChoiceNeeded(ModerationError):
    """The practice concerned is withdrawn: republish it or not must be chosen."""

    def __init__(self, slug: str):
        super().__init__(N_("La pratique « %(slug)s » est retirée du site : choisissez de la "
                            "remettre en ligne ou de la laisser retirée.", slug=slug))


@dataclass(frozen=True)
class QueueCounts:
    new: int
    corrections: int

    @property
    def total(self) -> int:
        return self.new + self.corrections


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def audit(session: Session, moderator: Moderator | None, action: str, target: str,
          reason: str | None = None) -> None:
    session.add(AuditLog(moderator_id=moderator.id if moderator else None, action=action,
                         target=target[:200], reason=reason))


def find_queue(session: Session) -> list[Contribution]:
    """Pending contributions and proposed revisions, the oldest first."""
    return list(session.scalars(select(Contribution).where(Contribution.status == PENDING)
                                .order_by(Contribution.created_at, Contribution.id)))


def queue_counts(session: Session) -> QueueCounts:
    rows = dict(session.execute(select(Contribution.kind, func.count(Contribution.id))
                                .where(Contribution.status == PENDING)
                                .group_by(Contribution.kind)).all())
    return QueueCounts(rows.get(CONTRIBUTION_NEW, 0), rows.get(CONTRIBUTION_CORRECTION, 0))


def get_contribution(session: Session, contribution_id: int) -> Contribution | None:
    return session.get(Contribution, contribution_id)


def find_audit(session: Session, limit: int = 200) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)))


def _pending(contribution: Contribution) -> None:
    if contribution.status != PENDING:
        raise NotPending(contribution.id)


def edit(session: Session, contribution: Contribution, record: PracticeRecord,
         moderator: Moderator) -> None:
    """Replace the version under review; the contributor's own stays for the history."""
    _pending(contribution)
    contribution.record = record_to_json(replace(record, slug=contribution.target_slug or ""))
    audit(session, moderator, "edit", f"contribution:{contribution.id}")


def reject(session: Session, contribution: Contribution, reason: str,
           moderator: Moderator) -> None:
    """Refuse a contribution; ``reason`` is shown to the contributor on their private page."""
    _pending(contribution)
    if not reason.strip():
        raise ModerationError(N_("Indiquez la raison du refus : elle sera montrée au "
                                 "contributeur."))
    contribution.status, contribution.reason = REJECTED, reason.strip()
    contribution.moderator_id, contribution.decided_at = moderator.id, _now()
    audit(session, moderator, "reject", f"contribution:{contribution.id}", reason.strip())


def merge(session: Session, contribution: Contribution, target_slug: str,
          moderator: Moderator, republish: bool | None = None) -> None:
    """Make the contribution a proposed revision of the practice ``target_slug``.

    It stays in the queue, now compared with that practice: the moderator
    edits it into the practice's text, then publishes it as a revision.
    """
    _pending(contribution)
    target = storage.get_practice(session, target_slug, published_only=False)
    if target is None:
        raise ModerationError(N_("Aucune pratique n'a l'identifiant « %(slug)s ».",
                                 slug=target_slug))
    if not target.published and republish is None:
        raise RepublishChoiceNeeded(target_slug)
    contribution.kind, contribution.target_slug = CONTRIBUTION_CORRECTION, target_slug
    for name in ("submitted", "record"):
        record = record_from_json(getattr(contribution, name))
        setattr(contribution, name, record_to_json(replace(record, slug=target_slug)))
    note = _merge_note(target_slug, None if target.published else bool(republish))
    audit(session, moderator, "merge", f"contribution:{contribution.id}", note)


# The journal note of a merge, kept as French text in the audit log; read back by
# ``merge_note_message`` so that the journal shows it in the page's language.
_MERGE_NOTE_RE = re.compile(r"fusionnée dans (?P<slug>\S+)"
                            r"(?: \(pratique retirée : (?P<then>à remettre en ligne|reste retirée)\))?")


def _merge_note(slug: str, republish: bool | None) -> Message:
    """None: the target was published; else whether it is to be put back online."""
    if republish is None:
        return N_("fusionnée dans %(slug)s", slug=slug)
    if republish:
        return N_("fusionnée dans %(slug)s (pratique retirée : à remettre en ligne)", slug=slug)
    return N_("fusionnée dans %(slug)s (pratique retirée : reste retirée)", slug=slug)


def merge_note_message(note: str | None) -> Message | None:
    """The message behind a merge's journal note, or None for any other text."""
    found = _MERGE_NOTE_RE.fullmatch(note or "")
    if found is None:
        return None
    republish = {None: None, "à remettre en ligne": True, "reste retirée": False}[found["then"]]
    return _merge_note(found["slug"], republish)


def unique_slug(session: Session, title: str, exclude: Iterable[str] = ()) -> str:
    """``slugify(title)``, with -2, -3... when taken (or in ``exclude``)."""
    base = slugify(title) or "pratique"
    taken = set(session.scalars(select(Practice.slug).where(Practice.slug.like(f"{base[:100]}%"))))
    taken.update(exclude)
    number = 1
    while True:
        suffix = "" if number == 1 else f"-{number}"
        candidate = base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def _save_new(session: Session, record: PracticeRecord) -> Practice:
    """Create the practice under a free slug; a slug taken meanwhile gets the next one."""
    failed: list[str] = []
    while True:
        slug = unique_slug(session, record.title, exclude=failed)
        try:
            with session.begin_nested():
                storage.save_practice(session, storage.Resolver(session, relabel=False),
                                      replace(record, slug=slug), None, published=True)
                session.flush()
            break
        except IntegrityError:
            if failed:  # retried once already: give up loudly
                raise
            failed.append(slug)
    practice = storage.get_practice(session, slug, published_only=False)
    assert practice is not None
    return practice


def publish(session: Session, contribution: Contribution, moderator: Moderator,
            republish: bool | None = None) -> str:
    """Publish a pending contribution; returns the practice's slug (to reindex).

    ``republish`` is required when the practice corrected is withdrawn.
    """
    _pending(contribution)
    record = contribution_record(contribution)
    sent = submitted_record(contribution)
    # One contribution never respells a label shown on other practices (issue 9, point 7).
    resolver = storage.Resolver(session, relabel=False)
    withdrawn = False
    if contribution.kind == CONTRIBUTION_CORRECTION:
        practice = storage.get_practice(session, contribution.target_slug or "", published_only=False)
        if practice is None:
            raise ModerationError(N_("La pratique à corriger n'existe plus."))
        withdrawn = not practice.published
        if withdrawn and republish is None:
            raise RepublishChoiceNeeded(practice.slug)
        revisions.ensure_baseline(session, practice)
        storage.save_practice(session, resolver, replace(record, slug=practice.slug), practice,
                              published=not withdrawn or bool(republish))
        session.flush()
        if withdrawn and republish:
            storage.log_change(session, practice.slug, "publish")
    else:
        practice = _save_new(session, record)
    slug = practice.slug
    edited = revisions.snapshot(replace(sent, slug=slug)) != revisions.snapshot(
        replace(record, slug=slug))
    who = {"contribution_id": contribution.id,
           "contributor_name": contribution.contributor_name,
           "contributor_email": contribution.contributor_email}
    if edited:
        sent = replace(sent, slug=slug)
        revisions.add_revision(session, practice, revisions.snapshot(sent),
                               content_hash=storage.identity_hash(sent, storage.Resolver(session)),
                               note=revisions.CONTRIBUTOR_NOTE, public=False, **who)
    note = ("Publication après modification par la modération" if edited
            else "Publication d'une contribution")
    revisions.add_revision(session, practice, revisions.snapshot(storage.practice_record(practice)),
                           content_hash=practice.content_hash, moderator_id=moderator.id, note=note,
                           **({"contribution_id": contribution.id} if edited else who))
    contribution.status, contribution.target_slug = PUBLISHED, slug
    contribution.moderator_id, contribution.decided_at = moderator.id, _now()
    reason = f"pratique {slug}"
    if withdrawn:
        reason += " (pratique retirée : " + ("remise en ligne" if republish else "reste retirée") + ")"
    audit(session, moderator, "publish", f"contribution:{contribution.id}", reason)
    return slug


def purge_revision(session: Session, practice: Practice, number: int, reason: str,
                   moderator: Moderator) -> None:
    """Erase the content of revision ``number`` (personal data, defamation); the journal says so."""
    if not reason.strip():
        raise ModerationError(N_("Indiquez pourquoi ce contenu est retiré : la raison est "
                                 "gardée au journal de modération."))
    revision = revisions.get_revision(session, practice.id, number, public_only=False)
    if revision is None:
        raise ModerationError(N_("La pratique n'a pas de version %(number)d.", number=number))
    revision.snapshot, revision.html = "", None
    revision.contributor_name = revision.contributor_email = None
    revision.note, revision.purged_at = revisions.PURGED_NOTE, _now()
    audit(session, moderator, "purge", f"practice:{practice.slug}:revision:{number}",
          reason.strip())


def set_published(session: Session, slug: str, published: bool, moderator: Moderator) -> bool:
    """Withdraw (or put back) a practice; False when there is no such practice."""
    practice = storage.get_practice(session, slug, published_only=False)
    if practice is None:
        return False
    if practice.published != published:
        practice.published = published
        storage.log_change(session, slug, "publish" if published else "withdraw")
    audit(session, moderator, "republish" if published else "unpublish", f"practice:{slug}")
    return True


def find_all_practices(session: Session) -> list[Practice]:
    """Every practice, withdrawn ones included, by title."""
    return list(session.scalars(select(Practice).order_by(Practice.title)))
