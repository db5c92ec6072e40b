"""Engine and sessions.

SQLite runs in WAL mode with a busy timeout, and write transactions begin
IMMEDIATE: a deferred transaction that reads then writes fails with "database is
locked" despite the timeout when another writer got there first. Read sessions
use a plain BEGIN so page views never queue behind writers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 15000


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, busy timeout and IMMEDIATE writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        readonly = conn.get_execution_options().get("kb_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def make_sessionmakers(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(write, read) session factories; the read one never takes SQLite's write lock."""
    write = sessionmaker(engine, expire_on_commit=False)
    read = sessionmaker(engine.execution_options(kb_readonly=True), expire_on_commit=False)
    return write, read


def alembic_config(engine: Engine) -> Config:
    # Alembic is imported only when migrating: searching and serving never need it.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolates "%": a URL such as ?host=%2Ftmp must be escaped.
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["engine"] = engine
    return config


def upgrade_database(engine: Engine) -> None:
    """Create or migrate the schema to the latest Alembic revision."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
