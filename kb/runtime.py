"""The resources one kb process holds: settings, database engine, search index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker

from kb.config import Settings
from kb.db import make_engine, make_sessionmakers, upgrade_database
from kb.search import SearchIndex


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    write_sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]
    index: SearchIndex

    @classmethod
    def open(cls, settings: Settings | None = None) -> Runtime:
        settings = settings or Settings.from_env()
        engine = make_engine(settings.database_url)
        write, read = make_sessionmakers(engine)
        return cls(settings, engine, write, read, SearchIndex(settings.index_dir))

    def database_ready(self) -> bool:
        """True once the schema exists (``kb init`` or ``kb db upgrade`` was run)."""
        return inspect(self.engine).has_table("practices")

    def upgrade(self) -> None:
        upgrade_database(self.engine)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session committed on success, rolled back on error, always closed."""
        factory = self.write_sessions if write else self.read_sessions
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()
