"""Contributions as stored: submit, follow with a private token, amend.

The contributor's follow-up link carries a random token; only its SHA-256 is
stored, so a copy of the database gives no working link. Name and e-mail stay
in the ``contributions`` and ``revisions`` tables only: nothing public reads them
(``kb.services.contributions.erasure`` forgets them on request).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kb.corpus import PartnerRef, PracticeRecord, SourceRef
from kb.models import (
    CONTRIBUTION_CORRECTION,
    CONTRIBUTION_NEW,
    PENDING,
    Contribution,
    OutgoingMail,
)
from kb.search import Hit, SearchIndex
from kb.services import mail

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
    new_email = normalise_email(email)[:320] or None
    if new_email != contribution.contributor_email:
        contribution.email_verified = False  # a new address proves nothing yet
    contribution.contributor_email = new_email
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
    if normalise_email(email) != contribution.contributor_email:
        contribution.email_verified = False
    contribution.contributor_name, contribution.contributor_email = name.strip(), normalise_email(email)
    contribution.note = (note or "").strip() or None
    contribution.created_at = _now()
    session.flush()


# -- addresses proved by their owners ------------------------------------------------


def verification_code(secret: str, contribution: Contribution) -> str:
    """The code only the mail to the contributor's address holds (not the page's link).

    Keyed with the app secret over the token's hash and the address: a code read
    from one mail proves nothing for another address or another contribution.
    """
    message = f"verify:{contribution.token_hash}:{contribution.contributor_email or ''}"
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def confirm_address(secret: str, contribution: Contribution, code: str) -> bool:
    """Mark the contributor's address verified when ``code`` is its mail's; True if so."""
    if not contribution.contributor_email or not code or len(code) > 64:
        return False
    if not hmac.compare_digest(verification_code(secret, contribution), code):
        return False
    contribution.email_verified = True
    return True


def address_verified(session: Session, email: str | None) -> bool:
    """Whether any contribution's owner proved ``email`` is theirs."""
    if not email:
        return False
    return session.scalar(select(func.count(Contribution.id)).where(
        Contribution.contributor_email == normalise_email(email),
        Contribution.email_verified.is_(True))) > 0


def mails_to(session: Session, email: str, since: dt.datetime) -> int:
    """How many messages were queued to ``email`` since ``since`` (sent or not)."""
    return session.scalar(select(func.count(OutgoingMail.id)).where(
        func.lower(OutgoingMail.recipient) == normalise_email(email),
        OutgoingMail.created_at >= since)) or 0


def recent_duplicate(session: Session, email: str, record: PracticeRecord,
                     seconds: int = 60) -> Contribution | None:
    """The same contribution from the same address received in the last ``seconds``."""
    text = record_to_json(record)
    since = _now() - dt.timedelta(seconds=seconds)
    for found in session.scalars(select(Contribution).where(
            Contribution.contributor_email == normalise_email(email),
            Contribution.created_at >= since, Contribution.status == PENDING)):
        if found.submitted == text:
            return found
    return None


def purge_drafts(session: Session, days: int, now: dt.datetime | None = None) -> int:
    """Erase drafts untouched for ``days`` days, with their messages; the number erased.

    A draft holds what its author typed, name and address included: nothing of it
    stays, and the messages queued or kept for its address go too unless another
    contribution still uses the address.
    """
    cutoff = (now or _now()) - dt.timedelta(days=days)
    stale = list(session.scalars(select(Contribution).where(
        Contribution.status == DRAFT, Contribution.updated_at < cutoff)))
    emails = {c.contributor_email for c in stale if c.contributor_email}
    for contribution in stale:
        session.delete(contribution)
    session.flush()
    for email in emails:
        still = session.scalar(select(func.count(Contribution.id)).where(
            Contribution.contributor_email == email))
        if not still:
            mail.forget_recipient(session, email)
    return len(stale)


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
                 exclude: str | None = None, limit: int = 5) -> list[Hit]:
    """Published practices that look like ``title`` and ``summary`` (duplicate hints)."""
    if not (title.strip() or summary.strip()):
        return []
    hits = index.suggest_similar(title[:300], summary[:1000], limit=limit + 1)
    return [hit for hit in hits if hit.slug != exclude][:limit]
