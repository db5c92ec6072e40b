"""Online backups of SQLite: taken during writes, they restore to a consistent database."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from kb import storage
from kb.corpus import PracticeRecord
from kb.models import Practice, PracticeTheme
from kb.services.backup import BackupError, backup_database, restore_database

ON_POSTGRES = os.environ.get("KB_DATABASE_URL", "").startswith("postgresql")
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="kb backup is for SQLite; pg_dump for PostgreSQL")


def write_practices(runtime, count: int, stop: threading.Event) -> None:
    for n in range(count):
        if stop.is_set():
            return
        record = PracticeRecord(slug=f"synthetique-{n}", title=f"Pratique synthétique {n}",
                                summary="Synthétique.", themes=["Thème A", "Thème B"],
                                cities=["Lyon"], landlords=["Bailleur synthétique"])
        with runtime.session() as session:
            storage.save_practice(session, storage.Resolver(session), record, None)


@sqlite_only
def test_backup_taken_during_writes_restores_consistently(runtime, tmp_path, runner):
    stop = threading.Event()
    writer = threading.Thread(target=write_practices, args=(runtime, 400, stop))
    writer.start()
    try:
        while True:  # back up while the writer is mid-way
            with runtime.session(write=False) as session:
                if session.scalar(select(func.count(Practice.id))) >= 50:
                    break
        backup_database(runtime.engine, tmp_path / "copie.sqlite")
    finally:
        stop.set()
        writer.join()
    copy = sqlite3.connect(tmp_path / "copie.sqlite")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    practices = copy.execute("SELECT count(*) FROM practices").fetchone()[0]
    links = copy.execute("SELECT count(*) FROM practice_themes").fetchone()[0]
    copy.close()
    assert practices >= 50 and links == 2 * practices  # whole transactions only
    result = runner("restore", str(tmp_path / "copie.sqlite"))
    assert result.exit_code == 0, result.output
    assert f"{practices} pratique(s) réindexée(s)" in result.output
    with runtime.session(write=False) as session:
        assert session.scalar(select(func.count(Practice.id))) == practices
        assert session.scalar(select(func.count(PracticeTheme.id))) == links


@sqlite_only
def test_restore_refuses_a_file_that_is_not_a_kb_database(runtime, tmp_path):
    bad = tmp_path / "pas-une-base.sqlite"
    bad.write_bytes(b"rien de bon")
    with pytest.raises(BackupError, match="pas une base SQLite"):
        restore_database(runtime.engine, bad)


@sqlite_only
def test_backup_command_writes_a_file(runner, tmp_path):
    runner("init")
    result = runner("backup", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 0 and (tmp_path / "s.sqlite").stat().st_size > 0


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL only")
def test_backup_on_postgresql_points_to_pg_dump(runner, tmp_path):
    runner("init")
    result = runner("backup", str(tmp_path / "s.sqlite"))
    assert result.exit_code != 0 and "pg_dump" in result.output
