"""Contributions as stored: submit, follow with a private token, amend, forget.

The contributor's follow-up link carries a random token; only its SHA-256 is
stored, so a copy of the database gives no working link. Name and e-mail stay
in the ``contributions`` and ``revisions`` tables only: nothing public reads them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kb.corpus import PartnerRef, PracticeRecord, SourceRef
from kb.models import (
    CONTRIBUTION_CORRECTION,
    CONTRIBUTION_NEW,
    PENDING,
    Contribution,
    Revision,
)
from kb.search import Hit, SearchIndex
from kb.services import hybrid, mail

TOKEN_BYTES = 24
TOKEN_MAX = 100
# A saved draft: ``submitted`` and ``record`` hold the form as typed (Draft JSON), not a
# record; it never enters the moderation queue until its contributor sends it.
DRAFT = "draft"


class NotPending(ValueError):
    """The contribution was already published or rejected."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def record_to_json(record: PracticeRecord) -> str:
    """A practice record as canonical JSON (what a contribution stores)."""
    data = asdict(record)
    data["last_verified"] = record.last_verified.isoformat() if record.last_verified else None
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def record_from_json(text: str) -> PracticeRecord:
    data: dict[str, Any] = json.loads(text)
    data["partners"] = [PartnerRef(**p) for p in data.get("partners", [])]
    data["sources"] = [SourceRef(**s) for s in data.get("sources", [])]
    if data.get("last_verified"):
        data["last_verified"] = dt.date.fromisoformat(data["last_verified"])
    return PracticeRecord(**data)


def contribution_record(contribution: Contribution) -> PracticeRecord:
    """The version under review (possibly edited by a moderator)."""
    return record_from_json(contribution.record)


def submitted_record(contribution: Contribution) -> PracticeRecord:
    """What the contributor last sent."""
    return record_from_json(contribution.submitted)


def submit(session: Session, record: PracticeRecord, *, name: str, email: str,
           target_slug: str | None = None, note: str | None = None) -> tuple[Contribution, str]:
    """Store a pending contribution; returns it with the private token (shown once)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    text = record_to_json(record)
    contribution = Contribution(
        kind=CONTRIBUTION_CORRECTION if target_slug else CONTRIBUTION_NEW,
        status=PENDING, token_hash=hash_token(token), target_slug=target_slug,
        submitted=text, record=text, contributor_name=name.strip(),
        contributor_email=normalise_email(email), licence_accepted=True,
        note=(note or "").strip() or None,
    )
    session.add(contribution)
    session.flush()
    return contribution, token


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def save_draft(session: Session, form_json: str, *, name: str, email: str,
               target_slug: str | None = None,
               contribution: Contribution | None = None) -> tuple[Contribution, str | None]:
    """Keep what was typed, valid or not; a new draft comes with its private token."""
    token = None
    if contribution is None:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        contribution = Contribution(
            kind=CONTRIBUTION_CORRECTION if target_slug else CONTRIBUTION_NEW, status=DRAFT,
            token_hash=hash_token(token), target_slug=target_slug, licence_accepted=False)
        session.add(contribution)
    elif contribution.status != DRAFT:
        raise NotPending(contribution.id)
    contribution.submitted = contribution.record = form_json
    contribution.contributor_name = name.strip()[:200] or None
    contribution.contributor_email = normalise_email(email)[:320] or None
    session.flush()
    return contribution, token


def send_draft(session: Session, contribution: Contribution, record: PracticeRecord, *,
               name: str, email: str, note: str | None = None) -> None:
    """A saved draft sent for review: it joins the queue now, with its waiting time from now."""
    if contribution.status != DRAFT:
        raise NotPending(contribution.id)
    text = record_to_json(record)
    contribution.submitted = contribution.record = text
    contribution.status, contribution.licence_accepted = PENDING, True
    contribution.contributor_name, contribution.contributor_email = name.strip(), normalise_email(email)
    contribution.note = (note or "").strip() or None
    contribution.created_at = _now()
    session.flush()


def find_by_token(session: Session, token: str) -> Contribution | None:
    """The contribution of a follow-up token, or None."""
    if not token or len(token) > TOKEN_MAX:
        return None
    digest = hash_token(token)
    found = session.scalars(select(Contribution).where(Contribution.token_hash == digest)).first()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        return None
    return found


def amend(session: Session, contribution: Contribution, record: PracticeRecord,
          note: str | None = None) -> None:
    """Replace a pending contribution with the contributor's new version."""
    if contribution.status != PENDING:
        raise NotPending(contribution.id)
    record.slug = contribution.target_slug or ""
    contribution.submitted = contribution.record = record_to_json(record)
    if note is not None and note.strip():
        contribution.note = note.strip()
    session.flush()


def find_similar(index: SearchIndex, title: str, summary: str, *,
                 exclude: str | None = None, limit: int = 5,
                 session: Session | None = None) -> list[Hit]:
    """Published practices that look like ``title`` and ``summary`` (duplicate hints).

    With a ``session``, by meaning above a calibrated similarity (kb/services/hybrid.py),
    so that sharing a place name is not enough; by shared words when the meaning
    layer is off or has no vectors yet.
    """
    if not (title.strip() or summary.strip()):
        return []
    if session is not None:
        found = hybrid.duplicates(session, title[:300], summary[:1000], exclude=exclude,
                                  limit=limit)
        if found is not None:
            return found
    hits = index.suggest_similar(title[:300], summary[:1000], limit=limit + 1)
    return [hit for hit in hits if hit.slug != exclude][:limit]


def forget_contributor(session: Session, email: str) -> int:
    """Erase a contributor's name and e-mail everywhere; the number of rows changed."""
    email = normalise_email(email)
    if not email:
        return 0
    changed = 0
    for model in (Contribution, Revision):
        result = session.execute(
            update(model).where(model.contributor_email == email)
            .values(contributor_name=None, contributor_email=None)
            .execution_options(synchronize_session=False))
        changed += result.rowcount or 0
    # Messages to them (sent or waiting) hold the address too: deleted, not counted.
    mail.forget_recipient(session, email)
    return changed
