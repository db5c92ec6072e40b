"""Configuration defaults, overridden by ``KB_*`` environment variables.

Two kinds of paths:

- **Resources** shipped with kb (templates, static files, translations, the
  bundled corpus). In a checkout they are the top-level ``templates/`` and
  ``practices/`` folders, the sources of truth; in an installed wheel the build
  hook (``setup.py``) copied them into ``kb/bundled/``. :func:`resource_dir`
  finds either.
- **Run-time state** (database, index, secret key, outbox) in one data folder,
  ``KB_HOME``, by default ``./instance`` under the current directory, or a
  checkout's ``instance/`` when kb runs from one (:func:`home_dir`): never beside
  the code of an installed package, which may be a read-only site-packages. ``KB_DATABASE_URL``,
  ``KB_INDEX_DIR`` and ``KB_CORPUS_DIR`` still override each part.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# The package runs from a git checkout (editable install or tests) rather than
# from an installed distribution: the top-level folders are then the ones to use.
IN_CHECKOUT = (ROOT / "pyproject.toml").is_file() and (ROOT / "templates").is_dir()


def resource_dir(name: str) -> Path:
    """``templates`` or ``practices``: the checkout's folder, else the copy shipped in the wheel."""
    if IN_CHECKOUT:
        return ROOT / name
    bundled = Path(str(resources.files("kb") / "bundled" / name))
    if not bundled.is_dir():
        raise RuntimeError(f"kb est mal installé : le dossier {bundled} manque dans le paquet "
                           "(réinstallez kb depuis une roue construite par « python -m build »)")
    return bundled


def _env(name: str, default: str) -> str:
    value = os.environ.get(f"KB_{name}")
    return value if value not in (None, "") else default


def home_candidates() -> list[Path]:
    """The data folders kb looks for, in order, when ``KB_HOME`` is not set:
    ``./instance`` under the current directory, then, for kb run from a checkout, the
    checkout's own ``instance/`` (so ``.venv/bin/kb`` works from any folder after the
    first command)."""
    local = Path("instance").resolve()
    if IN_CHECKOUT and (ROOT / "instance").resolve() != local:
        return [local, (ROOT / "instance").resolve()]
    return [local]


def home_dir() -> Path:
    """``KB_HOME``, else the first existing folder of :func:`home_candidates`, else
    ``./instance`` (made by ``kb init``)."""
    if _env("HOME", ""):
        return Path(_env("HOME", "")).resolve()
    candidates = home_candidates()
    return next((path for path in candidates if path.is_dir()), candidates[0])


@dataclass(frozen=True)
class Settings:
    """Settings shared by the command line and the web app."""

    home: Path = field(default_factory=home_dir)
    database_url: str = field(
        default_factory=lambda: _env("DATABASE_URL", f"sqlite:///{home_dir() / 'kb.sqlite'}"))
    index_dir: Path = field(default_factory=lambda: Path(_env("INDEX_DIR", str(home_dir() / "index"))))
    corpus_dir: Path = field(
        default_factory=lambda: Path(_env("CORPUS_DIR", "")) if _env("CORPUS_DIR", "")
        else resource_dir("practices"))
    host: str = field(default_factory=lambda: _env("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(_env("PORT", "5000")))
    # Days the moderators' search log keeps a search; 0 turns the log off.
    search_log_days: int = field(default_factory=lambda: int(_env("SEARCH_LOG_DAYS", "180")))

    @property
    def secret_key_file(self) -> Path:
        return self.home / "secret_key"

    @property
    def outbox_dir(self) -> Path:
        """Where mails wait to be sent (or read, when no mail server is configured)."""
        return self.home / "outbox"

    @classmethod
    def from_env(cls) -> Settings:
        return cls()


DEFAULT_LICENCE = "Licence Ouverte 2.0"


def instance_secret(path: Path | None = None) -> str:
    """A secret key kept in ``<KB_HOME>/secret_key``, made once.

    Every worker of a machine reads the same key, so a form served by one
    worker is accepted by another; set ``KB_SECRET_KEY`` to share it across machines.
    """
    path = path or home_dir() / "secret_key"
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


# -- the site's identity (KB_SITE_NAME, KB_PUBLISHER, KB_CONTACT_EMAIL, KB_LEGAL_NOTICE, KB_DEMO) --

DEFAULT_SITE_NAME = "kb"
# The name of the demonstration instance that the first command serves: "kb" means
# nothing to a practitioner.
DEMO_SITE_NAME = "Pratiques du logement social"


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
    # KB_DEMO: the demonstration instance of the first command, which says it is one
    # instead of "not configured" (nobody is to configure it).
    demo: bool = False

    @property
    def name_is_tagline(self) -> bool:
        """The name already says "pratiques du logement social": not to be repeated after it."""
        return self.name == DEMO_SITE_NAME

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
        demo = (text("DEMO") or "").lower() in ("1", "true", "oui", "yes")
        return cls(name=text("SITE_NAME") or (DEMO_SITE_NAME if demo else DEFAULT_SITE_NAME),
                   publisher=text("PUBLISHER"), contact_email=email, legal_notice=notice, demo=demo)
