"""Configuration defaults, overridden by ``KB_*`` environment variables.

Every setting has a default that runs kb on its embedded stack: SQLite in
``instance/``, the Whoosh index in ``index/`` and the corpus in ``practices/``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(f"KB_{name}")
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    """Settings shared by the command line and the web app."""

    database_url: str = field(
        default_factory=lambda: _env("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'kb.sqlite'}")
    )
    index_dir: Path = field(default_factory=lambda: Path(_env("INDEX_DIR", str(ROOT / "index"))))
    corpus_dir: Path = field(
        default_factory=lambda: Path(_env("CORPUS_DIR", str(ROOT / "practices")))
    )
    host: str = field(default_factory=lambda: _env("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(_env("PORT", "5000")))
    # Days the moderators' search log keeps a search; 0 turns the log off.
    search_log_days: int = field(default_factory=lambda: int(_env("SEARCH_LOG_DAYS", "180")))

    @classmethod
    def from_env(cls) -> Settings:
        return cls()


DEFAULT_LICENCE = "Licence Ouverte 2.0"


def instance_secret(path: Path | None = None) -> str:
    """A secret key kept in ``instance/secret_key``, made once.

    Every worker of a machine reads the same key, so a form served by one
    worker is accepted by another; set ``KB_SECRET_KEY`` to share it across machines.
    """
    path = path or ROOT / "instance" / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = path.with_name(f".{path.name}.{os.getpid()}")
    candidate.write_text(secrets.token_hex(32), encoding="ascii")
    candidate.chmod(0o600)
    try:
        os.link(candidate, path)  # atomic: the first worker's key wins
    except FileExistsError:
        pass
    finally:
        candidate.unlink()
    return path.read_text(encoding="ascii").strip()
