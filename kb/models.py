"""SQLAlchemy 2.0 models: the database is the source of truth at run time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import true as sa_true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kb.vocabulary import EVIDENCE_LEVELS, ORG_KINDS, PRACTICE_STATUSES  # noqa: F401 - used by importers

LANDLORD, PARTNER = "landlord", "partner"
CITY, DISTRICT = "city", "district"


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40), default="autre")
    website: Mapped[str | None] = mapped_column(String(500))
    in_registry: Mapped[bool] = mapped_column(Boolean, default=False)

    aliases: Mapped[list[OrganisationAlias]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="OrganisationAlias.id"
    )


class OrganisationAlias(Base):
    """Another name of an organisation; ``key`` is its folded form, unique across kb."""

    __tablename__ = "organisation_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(120), unique=True)

    organisation: Mapped[Organisation] = relationship(back_populates="aliases")


class Theme(Base):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    label: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    in_registry: Mapped[bool] = mapped_column(Boolean, default=False)


class Place(Base):
    """A commune (``kind='city'``) or a district: quartier, arrondissement, QPV."""

    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(120))
    label: Mapped[str] = mapped_column(String(300))


class Audience(Base):
    __tablename__ = "audiences"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    label: Mapped[str] = mapped_column(String(300))


class Practice(Base):
    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(String(40))
    started: Mapped[str | None] = mapped_column(String(10))
    ended: Mapped[str | None] = mapped_column(String(10))
    evidence: Mapped[str | None] = mapped_column(String(40))
    contact: Mapped[str | None] = mapped_column(String(300))
    licence: Mapped[str] = mapped_column(String(200))
    last_verified: Mapped[dt.date | None] = mapped_column(Date)
    # Only published practices are ever shown or indexed.
    published: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )

    organisations: Mapped[list[PracticeOrganisation]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeOrganisation.position"
    )
    themes: Mapped[list[PracticeTheme]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeTheme.position"
    )
    places: Mapped[list[PracticePlace]] = relationship(
        cascade="all, delete-orphan", order_by="PracticePlace.position"
    )
    audiences: Mapped[list[PracticeAudience]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeAudience.position"
    )
    sources: Mapped[list[Source]] = relationship(
        cascade="all, delete-orphan", order_by="Source.position"
    )
    inspirations: Mapped[list[Inspiration]] = relationship(
        cascade="all, delete-orphan", order_by="Inspiration.position"
    )

    def orgs(self, relation: str) -> list[PracticeOrganisation]:
        return [link for link in self.organisations if link.relation == relation]

    def place_list(self, kind: str) -> list[Place]:
        return [link.place for link in self.places if link.place.kind == kind]


class PracticeOrganisation(Base):
    __tablename__ = "practice_organisations"
    __table_args__ = (UniqueConstraint("practice_id", "organisation_id", "relation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    role: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class PracticeTheme(Base):
    __tablename__ = "practice_themes"
    __table_args__ = (UniqueConstraint("practice_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    theme: Mapped[Theme] = relationship(lazy="joined")


class PracticePlace(Base):
    __tablename__ = "practice_places"
    __table_args__ = (UniqueConstraint("practice_id", "place_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    place: Mapped[Place] = relationship(lazy="joined")


class PracticeAudience(Base):
    __tablename__ = "practice_audiences"
    __table_args__ = (UniqueConstraint("practice_id", "audience_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    audience_id: Mapped[int] = mapped_column(ForeignKey("audiences.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    audience: Mapped[Audience] = relationship(lazy="joined")


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(1000))
    date: Mapped[str | None] = mapped_column(String(10))
    publisher: Mapped[str | None] = mapped_column(String(300))


class Inspiration(Base):
    """``practice`` was inspired by the practice whose slug is ``target_slug``.

    A slug rather than a key, so a file may name a practice imported later.
    """

    __tablename__ = "inspirations"
    __table_args__ = (UniqueConstraint("practice_id", "target_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    target_slug: Mapped[str] = mapped_column(String(120), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Event(Base):
    """A rendez-vous: a conference or meeting where practices are presented."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str | None] = mapped_column(String(64))

    organisers: Mapped[list[EventOrganiser]] = relationship(
        cascade="all, delete-orphan", order_by="EventOrganiser.position"
    )
    themes: Mapped[list[EventTheme]] = relationship(
        cascade="all, delete-orphan", order_by="EventTheme.position"
    )
    presentations: Mapped[list[EventPractice]] = relationship(
        cascade="all, delete-orphan", order_by="EventPractice.position"
    )
    sources: Mapped[list[Source]] = relationship(
        cascade="all, delete-orphan", order_by="Source.position"
    )


class EventOrganiser(Base):
    __tablename__ = "event_organisers"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class EventTheme(Base):
    __tablename__ = "event_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    theme: Mapped[Theme] = relationship(lazy="joined")


class EventPractice(Base):
    __tablename__ = "event_practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    practice_slug: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ChangeLog(Base):
    """One row per change to the public set of practices.

    Index maintainers compare the highest id they have applied with this table's,
    so any process (or machine) can catch up from the shared database.
    """

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_slug: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


# -- contribution and moderation ---------------------------------------------------

CONTRIBUTION_NEW, CONTRIBUTION_CORRECTION = "new", "correction"
PENDING, PUBLISHED, REJECTED = "pending", "published", "rejected"


def _utcnow() -> dt.datetime:
    """Naive UTC with microseconds, set by Python so rows order the same on every database."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Moderator(Base):
    """A person who reviews contributions; created with ``kb moderator add``."""

    __tablename__ = "moderators"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    # Shown publicly in histories instead of the e-mail; "modérateur n° id" when empty.
    display_name: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Stored in each session cookie; incremented to end every session of the account.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)

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

    moderator: Mapped[Moderator | None] = relationship()


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


class GlossaryTerm(Base):
    """One acronym of the glossary (``practices/_glossaire.yaml``), unique by its letters."""

    __tablename__ = "glossary_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(20), unique=True)
    expansion: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str | None] = mapped_column(Text)
    source_title: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, onupdate=_utcnow)


class GlossaryProposal(Base):
    """A term proposed through the public form, waiting for a moderator.

    Anonymous on purpose: no name, e-mail or address is asked or kept.
    """

    __tablename__ = "glossary_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(20))
    expansion: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str | None] = mapped_column(Text)
    source_title: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)


class SearchLogEntry(Base):
    """One public search, for moderators: what was asked and how many practices answered.

    Deliberately nothing about who asked: no address, session, user agent or time
    of day, only the day. Kept ``KB_SEARCH_LOG_DAYS`` days.
    """

    __tablename__ = "search_log"
    __table_args__ = (Index("ix_search_log_day_query", "day", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    # normalised text: case folded, spaces collapsed
    query: Mapped[str] = mapped_column(String(300))
    # canonical "facet=value;facet=value", sorted; empty without filters
    filters: Mapped[str] = mapped_column(String(1000), default="")
    results: Mapped[int] = mapped_column(Integer)
