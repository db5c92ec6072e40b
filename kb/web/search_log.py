"""``/moderation/recherches``: what people search for and do not find (moderators only).

``log_search`` is the one call the public search views make: it hands the
search to the process's SearchLogWriter (kb.services.search_log), which
returns at once and writes later, off the request path.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

from flask import Blueprint, current_app, render_template

from kb.services import search_log as service
from kb.web import db_session, runtime
from kb.web.moderation import no_store, require_moderator

bp = Blueprint("search_log", __name__, url_prefix="/moderation/recherches")
bp.before_request(require_moderator)
bp.after_request(no_store)
_LOCK = threading.Lock()


def writer() -> service.SearchLogWriter:
    """The app's search log writer, made on first use."""
    found = current_app.extensions.get("kb_search_log")
    if found is None:
        with _LOCK:
            found = current_app.extensions.get("kb_search_log")
            if found is None:
                settings = runtime().settings
                found = service.SearchLogWriter.for_database(settings.database_url,
                                                             settings.search_log_days)
                current_app.extensions["kb_search_log"] = found
    return found


def log_search(text: str, filters: Mapping[str, Sequence[str]], results: int) -> None:
    """Record one public search for the moderators, without waiting."""
    writer().record(text, filters, results)


@bp.get("")
def index() -> str:
    from kb.web.search import FACET_TITLES  # kb.web.search imports this module

    return render_template("moderation/searches.html",
                           reports=service.search_reports(db_session()),
                           few=service.FEW_RESULTS, filter_names=FACET_TITLES,
                           decode=service.decode_filters,
                           retention=runtime().settings.search_log_days)
