"""The search log: recording queries and the statistics moderators read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from kb.models import (
    SearchLogEntry,
)


@dataclass(frozen=True)
class SearchStat:
    """One query asked ``searches`` times; ``results`` is the most practices it found."""

    query: str
    filters: str
    searches: int
    results: int
    last_day: dt.date


def add_search_log(session: Session, rows: list[dict]) -> None:
    """Insert searches given as {day, query, filters, results}, in one statement."""
    if rows:
        session.execute(insert(SearchLogEntry), rows)


def _search_stats(session: Session, since: dt.date, limit: int,
                  max_results: int | None) -> list[SearchStat]:
    searches = func.count(SearchLogEntry.id)
    best = func.max(SearchLogEntry.results)
    stmt = (select(SearchLogEntry.query, SearchLogEntry.filters, searches, best,
                   func.max(SearchLogEntry.day))
            .where(SearchLogEntry.day >= since)
            .group_by(SearchLogEntry.query, SearchLogEntry.filters))
    if max_results is not None:
        stmt = stmt.having(best <= max_results)
    stmt = stmt.order_by(searches.desc(), SearchLogEntry.query, SearchLogEntry.filters).limit(limit)
    return [SearchStat(*row) for row in session.execute(stmt)]


def frequent_searches(session: Session, since: dt.date, limit: int = 50) -> list[SearchStat]:
    """The queries asked most often since ``since`` (a day, included)."""
    return _search_stats(session, since, limit, None)


def missed_searches(session: Session, since: dt.date, max_results: int,
                    limit: int = 50) -> list[SearchStat]:
    """Queries that never found more than ``max_results`` practices since ``since``."""
    return _search_stats(session, since, limit, max_results)


def count_searches(session: Session, since: dt.date) -> int:
    return session.scalar(select(func.count(SearchLogEntry.id))
                          .where(SearchLogEntry.day >= since)) or 0


def purge_search_log(session: Session, before: dt.date) -> int:
    """Delete the searches of days before ``before``; how many rows went."""
    return session.execute(delete(SearchLogEntry).where(SearchLogEntry.day < before)).rowcount or 0
