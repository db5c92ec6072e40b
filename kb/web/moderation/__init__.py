"""Moderation: the review queue and its actions, behind a moderator login.

Every route of this blueprint but the login page requires a moderator in the
session (``before_request``): anonymous requests are redirected to the login
page. Actions are POST forms (CSRF-protected); each commits its write session,
then updates the search index for the practice concerned, so what is
published is searchable at once and what is withdrawn disappears at once.

The routes are split by job: ``access`` (login, the moderator check),
``queue`` (the queue and editing a proposal), ``decisions`` (publish, refuse,
merge) and ``practices`` (published practices, their history, the journal).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

# Imported last: each module adds its routes to ``bp``.
from kb.web.moderation import access, decisions, practices, queue  # noqa: E402
from kb.web.moderation.access import no_store, require_moderator  # noqa: E402

__all__ = ["access", "bp", "decisions", "no_store", "practices", "queue", "require_moderator"]
