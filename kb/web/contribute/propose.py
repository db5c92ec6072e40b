"""The contribution form: a new practice or a correction, preview, draft, send."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import TooManyRequests

from kb import storage
from kb.corpus import PracticeRecord
from kb.services.contributions import submissions
from kb.services.contributions.checks import contact_problems
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
from kb.web.errors import database_unavailable, release_session
from kb.web.notifications import deliver_pending, follow_url, notify_draft, notify_submission
from kb.web.security import check_rate, client_key, too_many

log = logging.getLogger(__name__)

# The same submission sent again within this many seconds is the same one (a reload,
# a double click, a browser re-posting): no second contribution, no second mail.
SAME_SUBMISSION_SECONDS = 60
DEFAULT_DRAFT_DAYS = 90
# Pages that show a private link: never kept by a browser or a proxy cache.
NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def draft_days() -> int:
    """``KB_DRAFT_DAYS``: drafts untouched this long are erased (default 90)."""
    return max(1, int(current_app.config.get("DRAFT_DAYS") or DEFAULT_DRAFT_DAYS))


def form_page(draft: Draft, *, target_slug: str | None = None, errors: dict | None = None,
               preview: bool = False, similar=None, notice: str | None = None,
               ack: str = "", action_url: str | None = None, saved_draft: bool = False,
               lookups: bool = True) -> str:
    target = (storage.get_practice(db_session(), target_slug)
              if target_slug and lookups else None)
    default_url = (url_for("contribute.correct", slug=target_slug) if target_slug
                   else url_for("contribute.new"))
    return render_template(
        "contribute/form.html", target=target, notice=notice, ack=ack, saved_draft=saved_draft,
        similar=similar if similar is not None else [],
        preview_body=preview_html(draft) if preview else None,
        action_url=action_url or default_url, autosave_key=default_url,
        **form_context(draft, errors, lookups=lookups),
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
        log.info("honeypot filled from %s: contribution dropped", client_key())
        return _to_thanks(secrets.token_urlsafe(submissions.TOKEN_BYTES), target_slug,
                          mailed=True)
    if similar and target is None and request.form.get("similar_ack", "") != ack:
        # Shown before anything is stored: the contributor confirms by sending again.
        notice = _("Des pratiques proches existent déjà. Vérifiez qu’il ne s’agit pas de la "
                   "même, puis envoyez de nouveau si la vôtre est différente.")
        return form_page(draft, similar=similar, ack=ack, notice=notice, preview=True, **page)
    fingerprint = _fingerprint(submissions.record_to_json(checked.record), draft.email,
                               target_slug)
    last = session.get("kb_sent") or {}
    if last.get("fp") == fingerprint and time.time() - last.get("at", 0) < SAME_SUBMISSION_SECONDS \
            and session.get("kb_thanks"):
        return redirect(url_for("contribute.thanks"), 303)  # the same one: shown again, not sent
    check_rate("contribution")
    with runtime().session() as write:
        if contribution is None and submissions.recent_duplicate(write, draft.email,
                                                                 checked.record) is not None:
            # The same one from another browser session: recognised, not stored twice.
            session["kb_thanks"] = {"duplicate": True, "correction": bool(target_slug)}
            return redirect(url_for("contribute.thanks"), 303)
        if contribution is not None:
            row = submissions.find_by_token(write, token or "")
            submissions.send_draft(write, row, checked.record, name=draft.name,
                                   email=draft.email, note=draft.change_note)
            sent, new_token = row, token or ""
        else:
            sent, new_token = submissions.submit(write, checked.record, name=draft.name,
                                                 email=draft.email, target_slug=target_slug,
                                                 note=draft.change_note)
        mailed = notify_submission(write, sent, new_token)
    deliver_pending()
    session["kb_sent"] = {"fp": fingerprint, "at": time.time()}
    return _to_thanks(new_token, target_slug, mailed=mailed)


def _fingerprint(*parts: str | None) -> str:
    return hashlib.sha256("\x00".join(p or "" for p in parts).encode("utf-8")).hexdigest()


def _save_draft(draft: Draft, target_slug: str | None, contribution, token: str | None):
    """Keep everything typed; the first save gives (and mails) the private link.

    Name and address are optional in a draft, but what is given is checked as for
    sending (one line, no link; one address): a draft mail greets by that name.
    """
    problems: dict[str, list[str]] = {}
    for name, message in contact_problems(draft.name, draft.email, name_required=False):
        problems.setdefault(name, []).append(message)
    if problems:
        page = form_page(draft, target_slug=target_slug, errors=problems,
                         saved_draft=contribution is not None,
                         action_url=request.path if contribution is not None else None)
        return page, 422
    check_rate("contribution")
    with runtime().session() as write:
        submissions.purge_drafts(write, draft_days())
        row = submissions.find_by_token(write, token) if token else None
        row, new_token = submissions.save_draft(write, draft.to_json(), name=draft.name,
                                                 email=draft.email, target_slug=target_slug,
                                                 contribution=row)
        mailed = notify_draft(write, row, new_token, draft_days()) if new_token else False
    if new_token is None:
        return redirect(url_for("contribute.follow", token=token, enregistre=1), 303)
    deliver_pending()
    return _to_thanks(new_token, target_slug, mailed=mailed, draft_saved=True)


def _to_thanks(token: str, target_slug: str | None, *, mailed: bool,
               draft_saved: bool = False):
    """Post/Redirect/Get: the thank-you page is a page of its own, reloadable by GET.

    The private link rides in the signed session cookie of the browser that sent
    the form (the link is that person's anyway), never in a URL a log would keep.
    """
    session["kb_thanks"] = {"token": token, "correction": bool(target_slug),
                            "mailed": mailed, "draft": draft_saved}
    return redirect(url_for("contribute.thanks"), 303)


@bp.get("/contribuer/merci")
def thanks():
    """What the last form sent from this browser became, with its private link."""
    shown = session.get("kb_thanks")
    if not shown:
        return redirect(url_for("contribute.new"), 303)
    link = follow_url(shown["token"]) if shown.get("token") else None
    body = render_template("contribute/thanks.html", link=link,
                           correction=bool(shown.get("correction")),
                           draft_saved=bool(shown.get("draft")), mailed=bool(shown.get("mailed")),
                           duplicate=bool(shown.get("duplicate")), draft_days=draft_days())
    return body, 200, NO_STORE


# -- nothing typed is lost: a refused or failed POST gives the form back, filled ----------

FORM_ENDPOINTS = ("contribute.new", "contribute.correct", "contribute.follow")


def _kept_form(notice: str, *, lookups: bool):
    draft = Draft.from_form(request.form)
    slug = (request.view_args or {}).get("slug")
    return form_page(draft, target_slug=slug, notice=notice, action_url=request.path,
                     lookups=lookups)


@bp.errorhandler(OperationalError)
@bp.errorhandler(InterfaceError)
def _database_away(error: Exception):
    """A full or unavailable database: 503 with the form as typed (read from the request)."""
    if request.method != "POST" or request.endpoint not in FORM_ENDPOINTS:
        return database_unavailable(error)
    log.warning("database unavailable on a form: %s", error.__class__.__name__)
    release_session()
    notice = _("Votre envoi n’a pas pu être enregistré : le site est momentanément indisponible. "
               "Rien n’est perdu : ce que vous avez saisi est ci-dessous. Réessayez dans "
               "quelques minutes.")
    try:
        body = _kept_form(notice, lookups=False)
    except (OperationalError, InterfaceError):  # a template helper reading anyway
        return database_unavailable(error)
    return body, 503, {"Retry-After": "30", **NO_STORE}


@bp.errorhandler(TooManyRequests)
def _too_many_on_form(error: TooManyRequests):
    """Past a rate limit: 429 with the form as typed, and when to send it again."""
    if request.method != "POST" or request.endpoint not in FORM_ENDPOINTS:
        return too_many(error)
    wait = int(error.retry_after or 60)
    minutes = max(1, (wait + 59) // 60)
    notice = _("Vous avez fait trop d’envois en peu de temps : celui-ci n’a pas été enregistré. "
               "Ce que vous avez saisi est ci-dessous ; renvoyez-le dans %(minutes)d minute(s).",
               minutes=minutes)
    return _kept_form(notice, lookups=True), 429, {"Retry-After": str(wait), **NO_STORE}


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
