"""The public history of a practice: its revisions and the difference between two."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from kb import storage
from kb.models import Moderator, Practice
from kb.services.contributions import revisions
from kb.services.contributions.wording import N_
from kb.web import db_session
from kb.web.contribute import bp


def published_or_404(slug: str) -> Practice:
    from kb.taxonomy import is_slug

    practice = storage.get_practice(db_session(), slug) if is_slug(slug) else None
    if practice is None:
        abort(404)
    return practice


# The notes moderation writes on revisions (kb.services.moderation), listed here for
# Babel: the history shows them in the page's language.
HISTORY_NOTES = (N_("Version proposée par un contributeur"),
                 N_("Publication après modification par la modération"),
                 N_("Publication d'une contribution"), N_("import"))


def revision_author(revision) -> str:
    """Who made a revision, as shown publicly: never an e-mail address."""
    if revision.moderator_id is not None:
        moderator = revision.moderator or db_session().get(Moderator, revision.moderator_id)
        return moderator.public_name if moderator else _("modération")
    if revision.note == revisions.IMPORT_NOTE:
        return _("import du corpus")
    return _("contribution publique")


@bp.get("/pratiques/<slug>/historique")
def history(slug: str):
    practice = published_or_404(slug)
    found = revisions.find_revisions(db_session(), practice.id)
    return render_template("contribute/history.html", practice=practice,
                           revisions=list(reversed(found)), author=revision_author)


@bp.get("/pratiques/<slug>/historique/diff")
def history_diff(slug: str):
    practice = published_or_404(slug)
    numbers = (request.args.get("de", ""), request.args.get("a", ""))
    if not all(n.isascii() and n.isdigit() and len(n) <= 9 for n in numbers):
        abort(404)  # an out-of-range number is no revision (and would overflow the database)
    old_n, new_n = (int(n) for n in numbers)
    old = revisions.get_revision(db_session(), practice.id, old_n)
    new = revisions.get_revision(db_session(), practice.id, new_n)
    if old is None or new is None:
        abort(404)
    diff = revisions.diff_texts(old.snapshot, new.snapshot)
    return render_template("contribute/history_diff.html", practice=practice, old=old, new=new,
                           diff=diff, author=revision_author,
                           numbers=[r.number for r in revisions.find_revisions(db_session(),
                                                                               practice.id)])
