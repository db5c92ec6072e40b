"""The contributor's private page: follow a proposal, amend it while pending, resume a draft."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kb import storage
from kb.models import PENDING
from kb.services.contributions import submissions
from kb.services.contributions.drafts import Draft
from kb.web import db_session, runtime
from kb.web.contribute import bp
from kb.web.contribute.propose import check, form_page, handle_form
from kb.web.contribute_form import form_context, preview_html, published_titles, registry_themes
from kb.web.security import check_rate


@bp.route("/contribuer/suivi/<token>", methods=["GET", "POST"])
def follow(token: str):
    contribution = submissions.find_by_token(db_session(), token)
    if contribution is None:
        abort(404)
    if request.method == "GET" and request.args.get("v") and not contribution.email_verified:
        _confirm_address(token, request.args["v"])
    if contribution.status == submissions.DRAFT:
        return _draft_page(contribution, token)
    if contribution.status != PENDING or request.method == "GET":
        return follow_page(contribution)
    record = submissions.submitted_record(contribution)
    draft = Draft.from_form(request.form)
    if request.form.get("add_row"):
        return follow_page(contribution, draft)
    if request.form.get("action") != "submit":
        check_rate("preview")
    checked = check(draft, base=record if contribution.target_slug else None, contributor=False)
    if request.form.get("action") != "submit":
        return follow_page(contribution, draft, checked.errors, preview=True)
    if not checked.ok:
        return follow_page(contribution, draft, checked.errors, status=422)
    check_rate("contribution")
    with runtime().session() as session:
        submissions.amend(session, submissions.find_by_token(session, token), checked.record,
                          note=draft.change_note)
    return redirect(url_for("contribute.follow", token=token, modifiee=1), 303)


def _confirm_address(token: str, code: str) -> None:
    """The link came from the mail (it holds the code): its owner has the address."""
    with runtime().session() as write:
        row = submissions.find_by_token(write, token)
        if row is not None:
            submissions.confirm_address(current_app.config["SECRET_KEY"], row, code)


def _draft_page(contribution, token: str):
    """A saved draft, from its private link: the whole form again, as it was left."""
    headers = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
    target = None
    if contribution.target_slug:
        practice = storage.get_practice(db_session(), contribution.target_slug)
        target = storage.practice_record(practice) if practice else None
    if request.method == "GET":
        notice = _("Brouillon enregistré.") if request.args.get("enregistre") == "1" else None
        draft = Draft.from_json(contribution.record)
        body = form_page(draft, target_slug=target.slug if target else None, notice=notice,
                          action_url=request.path, saved_draft=True)
        return body, 200, headers
    result = handle_form(target, contribution, token)
    return result


def follow_page(contribution, draft: Draft | None = None, errors: dict | None = None, *,
                 preview: bool = False, notice: str | None = None, status: int = 200):
    """The contributor's private page; the amendment form while the review is pending."""
    record = submissions.submitted_record(contribution)
    if contribution.status == PENDING and draft is None:
        draft = Draft.from_record(record, registry_themes(), published_titles())
        draft.change_note = contribution.note or ""
    context = form_context(draft, errors) if contribution.status == PENDING else {}
    context["correction_note"] = contribution.kind == "correction"
    body = render_template("contribute/follow.html", contribution=contribution, record=record,
                           amended=request.args.get("modifiee") == "1", notice=notice,
                           preview_body=preview_html(draft) if preview else None,
                           action_url=request.path, **context)
    return body, status, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
