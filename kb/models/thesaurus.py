"""The thesaurus of the field and the public proposals awaiting moderation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, _utcnow


class ThesaurusGroup(Base):
    """One group of ``practices/_thesaurus.yaml``, unique by its first term (``label``).

    ``terms`` and ``narrower`` hold one term a line: the search reads them in plain
    SQL (``kb.services.search_reads``) as well as through the ORM.
    """

    __tablename__ = "thesaurus_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(120), unique=True)
    terms: Mapped[str] = mapped_column(Text)
    narrower: Mapped[str] = mapped_column(Text, default="")
    source_title: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, onupdate=_utcnow)


class ThesaurusProposal(Base):
    """A group proposed through the public form, waiting for a moderator.

    Anonymous on purpose: no name, e-mail or address is asked or kept.
    """

    __tablename__ = "thesaurus_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    terms: Mapped[str] = mapped_column(Text)
    narrower: Mapped[str] = mapped_column(Text, default="")
    source_title: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
