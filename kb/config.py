"""Configuration defaults, overridden by ``KB_*`` environment variables.

Every setting has a default that runs kb on its embedded stack: SQLite in
``instance/``, the Whoosh index in ``index/`` and the corpus in ``practices/``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


# -- the site's identity (KB_SITE_NAME, KB_PUBLISHER, KB_CONTACT_EMAIL, KB_LEGAL_NOTICE) --

DEFAULT_SITE_NAME = "kb"


@dataclass(frozen=True)
class SiteIdentity:
    """Who runs this instance: shown in the header, the footer and the legal notice.

    Every field but the name is None until the operator sets it; pages then say
    plainly that the instance is not configured yet rather than invent a publisher.
    """

    name: str = DEFAULT_SITE_NAME
    publisher: str | None = None
    contact_email: str | None = None
    legal_notice: str | None = None  # Markdown text read from the KB_LEGAL_NOTICE file

    @property
    def configured(self) -> bool:
        return bool(self.publisher and self.contact_email and self.legal_notice)

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> SiteIdentity:
        """Read ``SITE_NAME``, ``PUBLISHER``, ``CONTACT_EMAIL``, ``LEGAL_NOTICE`` (a file path).

        A legal notice path that cannot be read stops the app with a clear message:
        a site must not silently publish without the notice its operator wrote.
        """
        def text(key: str) -> str | None:
            value = config.get(key)
            return str(value).strip() or None if value is not None else None

        email = text("CONTACT_EMAIL")
        if email is not None and ("@" not in email or any(c.isspace() for c in email)):
            raise ValueError(f"KB_CONTACT_EMAIL n'est pas une adresse électronique : {email!r}")
        notice = None
        if path := text("LEGAL_NOTICE"):
            try:
                notice = Path(path).expanduser().read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise ValueError(f"KB_LEGAL_NOTICE : impossible de lire le fichier {path} ({error})") \
                    from error
        return cls(name=text("SITE_NAME") or DEFAULT_SITE_NAME, publisher=text("PUBLISHER"),
                   contact_email=email, legal_notice=notice)
