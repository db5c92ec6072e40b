"""The corpus tables: registries (organisations, themes, places, audiences), practices,
rendez-vous and the change log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base


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
    # The registry's English label (``label_en``), shown on the English site only.
    label_en: Mapped[str | None] = mapped_column(String(300))


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
    in_registry: Mapped[bool] = mapped_column(Boolean, default=False)
    # The registry's (_audiences.yaml) English label, shown on the English site only.
    label_en: Mapped[str | None] = mapped_column(String(300))


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
