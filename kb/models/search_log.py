"""The anonymous search log moderators read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base


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
