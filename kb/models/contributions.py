"""Contribution and moderation tables: moderators, contributions, revisions, outgoing
mail, audit log and shared rate-limit counters."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, _utcnow

CONTRIBUTION_NEW, CONTRIBUTION_CORRECTION = "new", "correction"
PENDING, PUBLISHED, REJECTED = "pending", "published", "rejected"


def new_session_key() -> str:
    return secrets.token_urlsafe(24)


class Moderator(Base):
    """A person who reviews contributions; created with ``kb moderator add``."""

    __tablename__ = "moderators"
    __table_args__ = (UniqueConstraint("session_key", name="uq_moderators_session_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    # Shown publicly in histories instead of the e-mail; "modérateur n° id" when empty.
    display_name: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Stored in each session cookie; incremented to end every session of the account.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # What the session cookie names the account by: random, so the cookie (signed, not
    # encrypted) shows neither the e-mail nor the id, and an id SQLite gives again to a
    # new account never opens an old session.
    session_key: Mapped[str] = mapped_column(String(64), default=new_session_key)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
    # "each": a message per new submission; "digest": one a day (kb mail digest); "none".
    notify: Mapped[str] = mapped_column(String(20), default="each", server_default="each")
    # The language of the site the moderator last signed in to or chose mail on: the
    # language of the messages sent to them.
    locale: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")

    @property
    def public_name(self) -> str:
        return self.display_name or f"modérateur n° {self.id}"


class Contribution(Base):
    """A proposed practice (``kind='new'``) or a proposed revision of one ("correction").

    ``submitted`` is what the contributor last sent and ``record`` the version
    under review (moderators may edit it); both are PracticeRecord JSON. Name and
    e-mail are private: never shown, exported or indexed.
    """

    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=CONTRIBUTION_NEW)
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    # sha256 of the contributor's private follow-up token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The practice a correction (or a merged contribution) revises; set on publish too.
    target_slug: Mapped[str | None] = mapped_column(String(120), index=True)
    submitted: Mapped[str] = mapped_column(Text)
    record: Mapped[str] = mapped_column(Text)
    contributor_name: Mapped[str | None] = mapped_column(String(200))
    contributor_email: Mapped[str | None] = mapped_column(String(320), index=True)
    licence_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, onupdate=_utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # A correction's "what I changed and why", for the moderator.
    note: Mapped[str | None] = mapped_column(Text)
    # The site's language when it was sent ("fr", "en"): the language of the mails it gets.
    locale: Mapped[str | None] = mapped_column(String(10))
    # Its owner opened a link kb mailed to ``contributor_email`` (with the code only
    # the mail holds): from then on mails to it may quote what they typed.
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    moderator: Mapped[Moderator | None] = relationship()


class OutgoingMail(Base):
    """A message to send (or sent): kept until delivered, so a failure loses nothing.

    ``message`` is the whole RFC 5322 message; it holds a contributor's address,
    so ``kb forget-contributor`` deletes the messages to them.
    """

    __tablename__ = "outgoing_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Revision(Base):
    """One published version of a practice: the full record as its Markdown file."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("practice_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[str] = mapped_column(Text)
    # storage.identity_hash of the version: tells whether the practice changed since.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL"))
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL"))
    # Private, like on the contribution; erased by ``kb forget-contributor``.
    contributor_name: Mapped[str | None] = mapped_column(String(200))
    contributor_email: Mapped[str | None] = mapped_column(String(320), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    # False for versions never published (a contributor's original): moderators only.
    public: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    # The body rendered when the revision was saved, so no view renders it again.
    html: Mapped[str | None] = mapped_column(Text)
    # Set when a moderator purged the content (personal data, defamation).
    purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)

    moderator: Mapped[Moderator | None] = relationship()


class AuditLog(Base):
    """Every moderation action: who, what, when, on what, and why."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, index=True)

    moderator: Mapped[Moderator | None] = relationship()


class RateLimitHit(Base):
    """One counted request, when rate limits are shared through the database."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_bucket_at", "bucket", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(200))
    # seconds since the epoch
    at: Mapped[float] = mapped_column(Float)
