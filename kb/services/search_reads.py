"""The few database reads a search makes, in plain SQL, through a session or bare SQLite.

``kb search`` must answer within a fraction of a second, and SQLAlchemy alone takes
a third of a second to import and a tenth more to configure its mappers. So on the
embedded SQLite base, when the index has applied every change, the command reads
through the standard library's ``sqlite3`` (``SqliteReads``); everything else, and
any catching up, goes through a session (``SessionReads``). Both run the statements
below, whose named parameters both drivers take, so the two paths cannot drift.
Table names are the models' (a test compares them).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# One round trip, asked on every search: what the index must catch up with, and
# whether the glossary changed since this process last read it.
VERSIONS = ("SELECT (SELECT max(id) FROM change_log), (SELECT count(id) FROM glossary_terms), "
            "(SELECT max(updated_at) FROM glossary_terms), "
            "(SELECT count(id) FROM thesaurus_groups), (SELECT max(updated_at) FROM thesaurus_groups)")
GLOSSARY_PAIRS = "SELECT acronym, expansion FROM glossary_terms ORDER BY acronym"
THESAURUS_GROUPS = "SELECT terms, narrower FROM thesaurus_groups ORDER BY label"
ORGANISATION_BY_ALIAS = ("SELECT o.slug FROM organisation_aliases a "
                         "JOIN organisations o ON o.id = a.organisation_id WHERE a.key = :key")
THEME = "SELECT slug FROM themes WHERE slug = :key"
CITY = "SELECT slug FROM places WHERE kind = 'city' AND slug = :key"
AUDIENCE = "SELECT slug FROM audiences WHERE slug = :key"
TABLES = ("change_log", "glossary_terms", "organisation_aliases", "organisations", "themes",
          "places", "audiences", "thesaurus_groups")


class Reads(Protocol):
    """Runs one of the statements above and returns its rows as tuples."""

    source: str  # names the database, for caches shared by the reads of a process

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]: ...


class SessionReads:
    """Through a SQLAlchemy session (the web app, the API, and ``kb search`` catching up)."""

    def __init__(self, session: Session):
        self.session = session
        self.source = str(session.get_bind().url)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        if not params:
            # Asked on every search: the driver's own execution skips SQLAlchemy's
            # statement compilation and result processing.
            return [tuple(row) for row in self.session.connection().exec_driver_sql(sql)]
        from sqlalchemy import text

        return [tuple(row) for row in self.session.execute(text(sql), dict(params))]


class SqliteReads:
    """Read-only on an SQLite file, with the standard library alone."""

    def __init__(self, connection: sqlite3.Connection, source: str):
        self.connection = connection
        self.source = source

    @classmethod
    def open(cls, database_url: str) -> SqliteReads | None:
        """Reads on the file of a plain ``sqlite:///path`` URL whose schema exists; else None."""
        path = sqlite_file(database_url)
        if path is None or not path.is_file():
            return None
        uri = f"file:{quote(os.path.abspath(path))}?mode=ro"
        try:
            connection = sqlite3.connect(uri, uri=True, timeout=15)
        except sqlite3.Error:
            return None  # e.g. a read-only open refused: the session path opens it its own way
        try:
            found = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                f"({', '.join('?' * len(TABLES))})", TABLES).fetchone()[0]
        except sqlite3.Error:
            found = -1  # not a database kb can read without its own layer: let that layer say why
        if found != len(TABLES):  # not initialised, or from before the glossary: full path
            connection.close()
            return None
        return cls(connection, database_url)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        return [tuple(row) for row in self.connection.execute(sql, dict(params or {}))]

    def close(self) -> None:
        self.connection.close()


def sqlite_file(database_url: str) -> Path | None:
    """The file of a ``sqlite:///path`` URL without options; None for anything else."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix) or "?" in database_url or "%" in database_url:
        return None
    path = database_url[len(prefix):]
    return Path(path) if path and path != ":memory:" else None
