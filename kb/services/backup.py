"""Online backup and restore of the embedded SQLite database.

``sqlite3.Connection.backup`` copies a consistent snapshot while the site keeps
reading and writing (WAL). PostgreSQL is backed up with its own tools
(``pg_dump`` / ``pg_restore``, see the README). The search index is never backed
up: it is rebuilt from the restored database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for people."""


def _sqlite_path(engine: Engine) -> Path:
    url = make_url(engine.url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "kb backup et kb restore ne servent que pour SQLite ; pour PostgreSQL, utilisez "
            "pg_dump et pg_restore (voir le README).")
    return Path(url.database)


def _check(connection: sqlite3.Connection, what: str) -> None:
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
        has_schema = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='practices'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{what} n'est pas une base SQLite lisible : {exc}") from exc
    if not result or result[0] != "ok":
        raise BackupError(f"{what} est endommagé : {result[0] if result else '?'}")
    if not has_schema:
        raise BackupError(f"{what} n'est pas une base kb (table des pratiques absente)")


def backup_database(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the live database to ``target``."""
    source_path = _sqlite_path(engine)
    if not source_path.exists():
        raise BackupError(f"base introuvable : {source_path}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        # Small steps let writers go on between them; the copy stays consistent.
        source.backup(copy, pages=256)
        _check(copy, "la copie")
    finally:
        copy.close()
        source.close()
    partial.replace(target)


def restore_database(engine: Engine, backup: Path) -> None:
    """Replace the database's content with ``backup`` (checked first)."""
    target_path = _sqlite_path(engine)
    if not backup.is_file():
        raise BackupError(f"sauvegarde introuvable : {backup}")
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        _check(source, "la sauvegarde")
        engine.dispose()
        target = sqlite3.connect(target_path, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
