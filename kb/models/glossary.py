"""The glossary and the public proposals awaiting moderation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, _utcnow


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
