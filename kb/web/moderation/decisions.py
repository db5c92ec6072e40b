"""A moderator's decisions on a proposal: publish, refuse, merge.

Each asks for confirmation on a page of its own, then commits, queues the
contributor's message in the same transaction and updates the search index.
"""

from __future__ import annotations

import logging

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kb import storage
from kb.models import Contribution
from kb.search import IndexLockTimeout
from kb.services import indexing
from kb.services import moderation as service
from kb.services.contributions import submissions
from kb.taxonomy import is_slug
from kb.web import review, runtime
from kb.web.labels import translate
from kb.web.moderation import bp
from kb.web.moderation.queue import contribution_or_404
from kb.web.notifications import (
    deliver_pending,
    notify_merged,
    notify_published,
    notify_rejected,
)

log = logging.getLogger(__name__)


def _act(contribution_id: int, action, *args, notify=None, **extra) -> str | None:
    """Run a service action in a write session; its French error is flashed.

    ``notify(session, contribution, result)`` queues the contributor's message in
    the same transaction; it is delivered once the decision is committed.
    """
    try:
        with runtime().session() as write:
            row = write.get(Contribution, contribution_id)
            if row is None or row.status == submissions.DRAFT:
                abort(404)
            result = action(write, row, *args, g.moderator, **extra) or ""
            if notify is not None:
                notify(write, row, result)
        deliver_pending()
        return result
    except submissions.NotPending:
        flash(_("Cette proposition a déjà été traitée."))
    except service.ModerationError as exc:
        flash(translate(exc.message))
    return None


def sync_practice(slug: str) -> None:
    try:
        with runtime().session(write=False) as read:
            indexing.sync_index(read, runtime().index, [slug])
    except IndexLockTimeout:
        # The database is the truth and is already committed; the index catches up later.
        log.exception("search index busy: %s not reindexed", slug)
        flash(_("L’index de recherche était occupé : lancez « kb check-index » si la pratique "
                "n’apparaît pas dans la recherche."))
    except OSError:
        # A full disk under KB_INDEX_DIR: the publish is committed all the same; the
        # change follower retries later and kb check-index repairs.
        log.exception("search index not writable: %s not reindexed", slug)
        flash(_("La décision est enregistrée, mais l’index de recherche n’a pas pu être écrit "
                "(disque plein ?) : la recherche sera à jour dès qu’il pourra l’être ; "
                "« kb check-index » le répare."))


def _republish_choice() -> bool | None:
    """The review page's explicit choice for a withdrawn practice: True, False or None."""
    return {"oui": True, "non": False}.get(request.form.get("republier", ""))


def _confirm(contribution_id: int, action: str, **fields):
    """The confirmation step (a page of its own: it works without JavaScript)."""
    contribution = contribution_or_404(contribution_id)
    return render_template("moderation/confirm.html", contribution=contribution, action=action,
                           record=submissions.contribution_record(contribution), fields=fields)


@bp.post("/<int:contribution_id>/publier")
def publish(contribution_id: int):
    if request.form.get("confirm") != "1":
        return _confirm(contribution_id, "publish", republier=request.form.get("republier", ""))
    slug = _act(contribution_id, service.publish, notify=notify_published,
                republish=_republish_choice())
    if slug:
        sync_practice(slug)
        flash(_("Publiée : la pratique est visible et cherchable."))
    return redirect(url_for("moderation.item", contribution_id=contribution_id), 303)


@bp.post("/<int:contribution_id>/refuser")
def reject(contribution_id: int):
    reason = _reason()
    if not reason:
        flash(_("Choisissez une raison ou écrivez-la : elle sera envoyée au contributeur."))
        return redirect(url_for("moderation.item", contribution_id=contribution_id,
                                _anchor="refuser"), 303)
    if request.form.get("confirm") != "1":
        return _confirm(contribution_id, "reject", reason=reason)
    if _act(contribution_id, service.reject, reason,
            notify=lambda write, row, _result: notify_rejected(write, row)) is not None:
        flash(_("Proposition refusée ; la raison est affichée au contributeur."))
    return redirect(url_for("moderation.item", contribution_id=contribution_id), 303)


@bp.post("/<int:contribution_id>/fusionner")
def merge(contribution_id: int):
    target = request.form.get("target", "").strip()
    if not is_slug(target):
        flash(_("Choisissez la pratique dans laquelle fusionner."))
    elif _act(contribution_id, service.merge, target, notify=_notify_merged,
            republish=_republish_choice()) is not None:
        flash(_("La proposition est maintenant une correction de « %(slug)s ».", slug=target))
    return redirect(url_for("moderation.item", contribution_id=contribution_id), 303)


def _reason() -> str:
    """The refusal reason: written, or one of the common ones chosen."""
    written = request.form.get("reason", "").strip()
    if written:
        return written[:2000]
    chosen = request.form.get("reason_choice", "")
    if chosen.isdigit() and int(chosen) < len(review.REFUSAL_REASONS):
        return str(review.REFUSAL_REASONS[int(chosen)])
    return ""


def _notify_merged(write, row, _result) -> None:
    practice = storage.get_practice(write, row.target_slug or "", published_only=False)
    if practice is not None:
        notify_merged(write, row, practice.title, practice.slug)
