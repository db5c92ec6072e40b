"""Where the index lives on disk, and who may write it.

Layout of the index folder ``path``::

    path/CURRENT        name of the live generation ("gen-000003"), replaced atomically
    path/WRITE.lock     flock()ed by the one writer (rebuild, upsert, delete)
    path/gen-000003/    a Whoosh index + SCHEMA_VERSION
    path/gen-000004.building/   a rebuild in progress (removed if its writer died)

A rebuild writes a new generation beside the live one, then points CURRENT at
it: readers never see a half-built index, and a searcher opened on the old
generation keeps working (the previous generation is kept one round).
Incremental writes take the same lock with a timeout, so two processes queue
instead of failing. The lock is an flock(): the kernel drops it when its owner
dies, so a stale lock file never blocks.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import shutil
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as windex

from kb.search.mapped import MappedStorage
from kb.search.schema import SCHEMA_VERSION, build_schema

VERSION_FILE = "SCHEMA_VERSION"


class IndexLockTimeout(TimeoutError):
    """Another writer held the index longer than ``writer_timeout``."""


class IndexStore:
    """Generations of the index under one folder, and the writer lock."""

    def __init__(self, path: Path, writer_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.writer_timeout = writer_timeout

    # -- reading -------------------------------------------------------------

    def current_name(self) -> str | None:
        try:
            name = (self.path / "CURRENT").read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return name if name.startswith("gen-") and "/" not in name else None

    def current_dir(self) -> Path | None:
        name = self.current_name()
        return self.path / name if name else None

    def open_current(self):
        """The live Whoosh index, or None if missing / wrong schema version."""
        folder = self.current_dir()
        if folder is None or not folder.is_dir():
            return None
        try:
            version = (folder / VERSION_FILE).read_text(encoding="ascii").strip()
        except OSError:
            return None
        if version != str(SCHEMA_VERSION):
            return None
        return MappedStorage(str(folder)).open_index()

    # -- writing -------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the single writer lock, waiting up to ``writer_timeout`` seconds."""
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / "WRITE.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + self.writer_timeout
            delay = 0.005
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexLockTimeout(
                            f"index {self.path} busy for {self.writer_timeout:.0f} s"
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _next_name(self) -> str:
        numbers = [0]
        for child in self.path.iterdir():
            stem = child.name.split(".")[0]
            if stem.startswith("gen-") and stem[4:].isdigit():
                numbers.append(int(stem[4:]))
        return f"gen-{max(numbers) + 1:06d}"

    def new_building_dir(self) -> tuple[str, Path]:
        """A fresh folder for a rebuild (call under the write lock)."""
        self.path.mkdir(parents=True, exist_ok=True)
        for child in self.path.glob("gen-*.building"):  # left by a dead writer
            shutil.rmtree(child, ignore_errors=True)
        name = self._next_name()
        folder = self.path / f"{name}.building"
        folder.mkdir()
        return name, folder

    @staticmethod
    def create_empty(folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        ix = windex.create_in(str(folder), build_schema())
        (folder / VERSION_FILE).write_text(str(SCHEMA_VERSION), encoding="ascii")
        return ix

    def publish(self, name: str, building: Path) -> None:
        """Make a built generation live (call under the write lock)."""
        final = self.path / name
        os.replace(building, final)
        _fsync_dir(final)
        tmp = self.path / "CURRENT.tmp"
        tmp.write_text(name, encoding="ascii")
        os.replace(tmp, self.path / "CURRENT")
        _fsync_dir(self.path)
        self._remove_old(keep={name, self._previous_name(name)})

    def _previous_name(self, name: str) -> str:
        gens = sorted(p.name for p in self.path.glob("gen-*") if p.is_dir()
                      and not p.name.endswith(".building") and p.name < name)
        return gens[-1] if gens else ""

    def _remove_old(self, keep: set[str]) -> None:
        for child in self.path.glob("gen-*"):
            if child.is_dir() and not child.name.endswith(".building") and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)

    def ensure_writable(self):
        """The live index for an incremental write, created empty if missing."""
        ix = None
        with contextlib.suppress(Exception):
            ix = self.open_current()
        if ix is not None:
            return ix
        name, building = self.new_building_dir()
        self.create_empty(building)
        self.publish(name, building)
        return self.open_current()


@contextlib.contextmanager
def quiet_leaks() -> Iterator[list]:
    """Silence and close the files Whoosh leaves open when it fails on a damaged index.

    Wrap the whole try/except and append to the yielded list on failure: the
    files are freed when the traceback goes, then collected here.
    """
    failed: list = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            yield failed
        finally:
            if failed:
                gc.collect()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
