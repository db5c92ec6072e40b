"""kb: a knowledge base of French social-housing practices."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

# kb's numpy work is elementwise and never calls BLAS, whose threads only cost start-up:
# 45 ms of each ``kb search`` here. Set before any kb module imports numpy; a host
# process that chose otherwise, or imported numpy first, keeps its setting.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def create_app(config: Mapping[str, Any] | None = None, *, runtime: Any = None) -> Flask:
    """Build the web app: defaults, then ``KB_*`` variables, then ``config``."""
    # Imported here, not at module level: ``import kb.anything`` must not load Flask
    # (the command line answers without it).
    from flask import Flask

    from kb.config import PACKAGE, Settings, resource_dir
    from kb.runtime import Runtime
    from kb.web import init_app

    app = Flask(__name__, template_folder=str(resource_dir("templates")),
                static_folder=str(PACKAGE / "static"))
    app.config.from_prefixed_env("KB")
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        from kb.config import instance_secret

        app.config["SECRET_KEY"] = instance_secret()
    if runtime is None:
        settings = Settings.from_env()
        overrides = {
            "database_url": app.config.get("DATABASE_URL"),
            "index_dir": app.config.get("INDEX_DIR"),
        }
        if any(overrides.values()):
            from pathlib import Path

            settings = Settings(
                database_url=overrides["database_url"] or settings.database_url,
                index_dir=Path(overrides["index_dir"]) if overrides["index_dir"] else settings.index_dir,
                corpus_dir=settings.corpus_dir,
            )
        runtime = Runtime.open(settings)
    app.extensions["kb"] = runtime
    _fix_origin(app)
    if runtime.database_ready():
        # A missing, unreadable or outdated index is rebuilt here, not met by a crash.
        from kb.services.indexing import ensure_index

        with runtime.session(write=False) as session:
            ensure_index(session, runtime.index)
    init_app(app)
    return app


def _fix_origin(app: Flask) -> None:
    """``KB_TRUSTED_HOSTS`` and ``KB_BASE_URL``: absolute URLs that no Host header can change.

    ``KB_TRUSTED_HOSTS`` (comma-separated, or a JSON list) becomes Flask's
    ``TRUSTED_HOSTS``: a request for another host gets 400. ``KB_BASE_URL``
    (``https://kb.example.org``, a path allowed) replaces the scheme, host and
    prefix of every request before Flask sees it, so feeds, sitemap, calendar
    and links in mails name that address whatever the request said.
    """
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        app.config["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()]
    base = app.config.get("BASE_URL")
    if base:
        from urllib.parse import urlsplit

        parts = urlsplit(str(base))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"KB_BASE_URL must be an http(s) address, not {base!r}")
        wrapped = app.wsgi_app

        def fixed_origin(environ, start_response):
            environ["wsgi.url_scheme"] = parts.scheme
            environ["HTTP_HOST"] = parts.netloc
            environ["SCRIPT_NAME"] = parts.path.rstrip("/")
            environ.pop("HTTP_X_FORWARDED_HOST", None)
            return wrapped(environ, start_response)

        app.wsgi_app = fixed_origin  # type: ignore[method-assign]
