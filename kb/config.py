"""Configuration defaults, overridden by ``KB_*`` environment variables.

Every setting has a default that runs kb on its embedded stack: SQLite in
``instance/``, the Whoosh index in ``index/`` and the corpus in ``practices/``.
"""

from __future__ import annotations

import os
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

    @classmethod
    def from_env(cls) -> Settings:
        return cls()


DEFAULT_LICENCE = "Licence Ouverte 2.0"
