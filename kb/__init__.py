"""kb: a knowledge base of French social-housing practices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None, *, runtime: Any = None) -> Flask:
    """Build the web app: defaults, then ``KB_*`` variables, then ``config``."""
    # Imported here, not at module level: ``import kb.anything`` must not load Flask
    # (the command line answers without it).
    from flask import Flask

    from kb.config import ROOT, Settings
    from kb.runtime import Runtime
    from kb.web import init_app

    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "kb" / "static"))
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
    if runtime.database_ready():
        # A missing, unreadable or outdated index is rebuilt here, not met by a crash.
        from kb.services.indexing import ensure_index

        with runtime.session(write=False) as session:
            ensure_index(session, runtime.index)
    init_app(app)
    return app
