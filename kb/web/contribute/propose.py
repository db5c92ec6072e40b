"""The contribution form: a new practice or a correction, preview, draft, send."""

from __future__ import annotations

import logging
import secrets

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kb import storage
from kb.corpus import PracticeRecord
from kb.services.contributions import submissions
from kb.services.contributions.drafts import Draft, check_draft
from kb.web import db_session, runtime
from kb.web.contribute import bp
from kb.web.contribute.history import published_or_404
from kb.web.contribute_form import (
    form_context,
    preview_html,
    published_titles,
    registry_themes,
    similar_to,
)
from kb.web.notifications import deliver_pending, follow_url, notify_draft, notify_submission
from kb.web.security import check_rate

log = logging.getLogger(__name__)


def form_page(draft: Draft, *, target_slug: str | None = None, errors: dict | None = None,
               preview: bool = False, similar=None, notice: str | None = None,
               ack: str = "", action_url: str | None = None, saved_draft: bool = False) -> str:
    target = storage.get_practice(db_session(), target_slug) if target_slug else None
    default_url = (url_for("contribute.correct", slug=target_slug) if target_slug
                   else url_for("contribute.new"))
    return render_template(
        "contribute/form.html", target=target, notice=notice, ack=ack, saved_draft=saved_draft,
        similar=similar if similar is not None else [],
        preview_body=preview_html(draft) if preview else None,
        action_url=action_url or default_url, autosave_key=default_url,
        **form_context(draft, errors),
    )


def check(draft: Draft, base: PracticeRecord | None = None, *, contributor: bool = True):
    """``check_draft`` against the practices published now."""
    return check_draft(draft, titles=published_titles(), base=base, contributor=contributor)


def handle_form(target: PracticeRecord | None, contribution=None, token: str | None = None):
    """One POST of the contribution form: add a row, preview, save a draft, or send.

    ``contribution`` is the saved draft being worked on (from its private link).
    """
    target_slug = target.slug if target else None
    draft = Draft.from_form(request.form)
    page = {"target_slug": target_slug, "saved_draft": contribution is not None,
            "action_url": request.path if contribution is not None else None}
    action = request.form.get("action", "")
    if request.form.get("add_row") or action == "restore":
        return form_page(draft, **page)
    if action == "save":
        return _save_draft(draft, target_slug, contribution, token)
    if action != "submit":
        check_rate("preview")  # before any work: a preview costs CPU, a submission is limited below
    checked = check(draft, base=target)
    similar = similar_to(draft, exclude=target_slug)
    ack = ",".join(hit.slug for hit in similar)
    if action != "submit":
        return form_page(draft, errors=checked.errors, preview=True, similar=similar, ack=ack,
                          **page)
    if not checked.ok:
        return form_page(draft, errors=checked.errors, similar=similar, ack=ack, **page), 422
    if draft.honeypot.strip():
        check_rate("contribution")
        log.info("honeypot filled from %s: contribution dropped", request.remote_addr)
        return _thanks(secrets.token_urlsafe(submissions.TOKEN_BYTES), target_slug)
    if similar and target is None and request.form.get("similar_ack", "") != ack:
        # Shown before anything is stored: the contributor confirms by sending again.
        notice = _("Des pratiques proches existent déjà. Vérifiez qu’il ne s’agit pas de la "
                   "même, puis envoyez de nouveau si la vôtre est différente.")
        return form_page(draft, similar=similar, ack=ack, notice=notice, preview=True, **page)
    check_rate("contribution")
    with runtime().session() as session:
        if contribution is not None:
            row = submissions.find_by_token(session, token or "")
            submissions.send_draft(session, row, checked.record, name=draft.name,
                                   email=draft.email, note=draft.change_note)
            sent, new_token = row, token or ""
        else:
            sent, new_token = submissions.submit(session, checked.record, name=draft.name,
                                                 email=draft.email, target_slug=target_slug,
                                                 note=draft.change_note)
        notify_submission(session, sent, new_token)
    deliver_pending()
    return _thanks(new_token, target_slug)


def _save_draft(draft: Draft, target_slug: str | None, contribution, token: str | None):
    """Keep everything typed; the first save gives (and mails) the private link."""
    check_rate("contribution")
    with runtime().session() as session:
        row = submissions.find_by_token(session, token) if token else None
        row, new_token = submissions.save_draft(session, draft.to_json(), name=draft.name,
                                                 email=draft.email, target_slug=target_slug,
                                                 contribution=row)
        if new_token:
            notify_draft(session, row, new_token)
    if new_token is None:
        return redirect(url_for("contribute.follow", token=token, enregistre=1), 303)
    deliver_pending()
    link = follow_url(new_token)
    return render_template("contribute/thanks.html", link=link, draft_saved=True,
                           correction=bool(target_slug), mailed=bool(draft.email.strip()))


def _thanks(token: str, target_slug: str | None) -> str:
    return render_template("contribute/thanks.html", link=follow_url(token),
                           correction=bool(target_slug), draft_saved=False, mailed=True)


@bp.route("/contribuer", methods=["GET", "POST"])
def new():
    if request.method == "GET":
        return form_page(Draft())
    return handle_form(None)


@bp.route("/pratiques/<slug>/corriger", methods=["GET", "POST"])
def correct(slug: str):
    practice = published_or_404(slug)
    record = storage.practice_record(practice)
    if request.method == "GET":
        return form_page(Draft.from_record(record, registry_themes(), published_titles()),
                          target_slug=slug)
    return handle_form(record)


@bp.get("/contribuer/similaires")
def similar():
    """Published practices resembling a title and summary, for the page's script."""
    draft = Draft(title=request.args.get("title", "")[:300],
                  summary=request.args.get("summary", "")[:1000])
    exclude = request.args.get("exclure") or None
    hits = similar_to(draft, exclude=exclude)
    return jsonify({"results": [
        {"slug": h.slug, "title": h.title, "url": url_for("practices.show", slug=h.slug)}
        for h in hits]})
