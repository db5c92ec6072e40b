"""Moderation: the review queue and its actions, behind a moderator login.

Every route of this blueprint but the login page requires a moderator in the
session (``before_request``): anonymous requests are redirected to the login
page. Actions are POST forms (CSRF-protected); each commits its write session,
then updates the search index for the practice concerned, so what is
published is searchable at once and what is withdrawn disappears at once.
"""

from __future__ import annotations

import logging
import math
import re
import time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kb import storage
from kb.corpus import PracticeRecord, dump_practice
from kb.models import PENDING, Contribution, Moderator
from kb.search import IndexLockTimeout
from kb.services import indexing, mail
from kb.services import moderation as service
from kb.services.contributions import moderators, revisions, submissions
from kb.services.contributions.drafts import Draft
from kb.taxonomy import is_slug
from kb.web import db_session, review, runtime
from kb.web.contribute import check
from kb.web.contribute_form import (
    form_context,
    preview_html,
    published_titles,
    registry_themes,
    similar_to,
)
from kb.web.notifications import (
    deliver_pending,
    mail_settings,
    notify_merged,
    notify_published,
    notify_rejected,
)
from kb.web.security import check_rate

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
NOTIFY_CHOICES = {
    "each": _l("Vous recevrez un message pour chaque nouvelle proposition."),
    "digest": _l("Vous recevrez un résumé quotidien des propositions (commande kb mail digest)."),
    "none": _l("Vous ne recevrez plus de message pour les propositions."),
}
log = logging.getLogger(__name__)


def _session_moderator() -> Moderator | None:
    """The moderator of this session, if the session is still valid (version, age)."""
    moderator_id = session.get("moderator_id")
    if not isinstance(moderator_id, int):
        return None
    since = session.get("moderator_since")
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if not isinstance(since, int | float) or not 0 <= time.time() - since < lifetime:
        return None
    moderator = db_session().get(Moderator, moderator_id)
    if moderator is None or session.get("moderator_email") != moderator.email:
        return None  # removed (SQLite may give its id to the next account created)
    return moderator if moderators.session_valid(moderator, session.get("moderator_version")) \
        else None


@bp.before_request
def require_moderator():
    g.moderator = _session_moderator()
    if g.moderator is None and "moderator_id" in session:
        session.clear()
    if g.moderator is None and request.endpoint != "moderation.login":
        return redirect(url_for("moderation.login", suivant=request.full_path.rstrip("?")))
    return None


@bp.after_request
def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SAFE_NEXT = re.compile(r"/moderation(?:[/?][A-Za-z0-9/?=&%._~+-]*)?")


def _safe_next(target: str | None) -> str:
    """``target`` when it is a plain moderation path (never a header-breaking character)."""
    if target and _SAFE_NEXT.fullmatch(target) and "//" not in target \
            and not re.search(r"%(?:0[0-9a-f]|1[0-9a-f]|7f|2f|5c)", target, re.IGNORECASE):
        return target
    return url_for("moderation.queue")


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    email, error, status = "", None, 200
    if _CONTROL.search(request.args.get("suivant", "")):
        abort(400)  # a line break here would split the redirect's headers
    headers: dict[str, str] = {}
    if request.method == "POST":
        check_rate("login")
        email = request.form.get("email", "")[:320]
        verdict = current_app.extensions["kb_limiter"].hit(
            f"login-account:{submissions.normalise_email(email)}",
            current_app.extensions["kb_rates"]["login_account"])
        if not verdict.allowed:
            minutes = max(1, math.ceil(verdict.retry_after / 60))
            error = _("Trop de tentatives de connexion pour ce compte : par sécurité, réessayez "
                      "dans %(minutes)d minute(s).", minutes=minutes)
            headers["Retry-After"] = str(verdict.retry_after)
            return render_template("moderation/login.html", email=email, error=error), 429, headers
        found = moderators.authenticate(db_session(), email, request.form.get("password", ""))
        if found is not None:
            session.clear()
            session.permanent = True  # ends after KB_SESSION_HOURS, checked again on each request
            session["moderator_id"] = found.id
            session["moderator_version"] = found.session_version
            session["moderator_email"] = found.email
            session["moderator_since"] = time.time()
            return redirect(_safe_next(request.args.get("suivant")), 303)
        error, status = _("Adresse ou mot de passe incorrect."), 401
    return render_template("moderation/login.html", email=email, error=error), status


@bp.post("/deconnexion")
def logout():
    # Server-side: every cookie of this account stops working, copies included.
    with runtime().session() as write:
        account = write.get(Moderator, g.moderator.id)
        if account is not None:
            moderators.end_sessions(account)
    session.clear()
    flash(_("Vous êtes déconnecté."))
    return redirect(url_for("moderation.login"), 303)


@bp.get("")
def queue():
    return render_template("moderation/queue.html",
                           rows=review.queue_rows(service.find_queue(db_session())),
                           counts=service.queue_counts(db_session()),
                           mail=mail.find_mail_problems(db_session()))


@bp.post("/notifications")
def notifications():
    choice = request.form.get("notify", "")
    if choice not in NOTIFY_CHOICES:
        abort(400)
    with runtime().session() as write:
        write.get(Moderator, g.moderator.id).notify = choice
    flash(str(NOTIFY_CHOICES[choice]))
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/courriels/renvoyer")
def resend():
    with runtime().session() as write:
        sent, failed = mail.deliver(write, mail_settings())
    flash(_("%(sent)d message(s) envoyé(s), %(failed)d en échec.", sent=sent, failed=failed))
    return redirect(url_for("moderation.queue"), 303)


def _record(contribution: Contribution) -> PracticeRecord:
    return submissions.contribution_record(contribution)


def _contribution(contribution_id: int) -> Contribution:
    found = service.get_contribution(db_session(), contribution_id)
    if found is None or found.status == submissions.DRAFT:
        abort(404)
    return found


def _current(contribution: Contribution):
    """The published practice a contribution would change, if any."""
    if not contribution.target_slug:
        return None
    return storage.get_practice(db_session(), contribution.target_slug, published_only=False)


@bp.get("/<int:contribution_id>")
def item(contribution_id: int):
    contribution = _contribution(contribution_id)
    context = review.review_context(contribution)
    return render_template(
        "moderation/item.html", contribution=contribution,
        preview_body=preview_html(context["draft"]),
        similar=similar_to(context["draft"], exclude=contribution.target_slug),
        practices=service.find_all_practices(db_session()),
        next_item=review.next_pending(contribution.id), reasons=review.REFUSAL_REASONS,
        waiting=review.waiting_label(contribution.created_at), **context)


@bp.route("/<int:contribution_id>/modifier", methods=["GET", "POST"])
def edit(contribution_id: int):
    contribution = _contribution(contribution_id)
    if contribution.status != PENDING:
        flash(_("Cette proposition a déjà été traitée."))
        return redirect(url_for("moderation.item", contribution_id=contribution_id), 303)
    current = _current(contribution)
    base = storage.practice_record(current) if current else None
    errors, preview = {}, None
    if request.method == "GET":
        draft = Draft.from_record(_record(contribution), registry_themes(), published_titles())
    else:
        draft = Draft.from_form(request.form)
        if not request.form.get("add_row"):
            checked = check(draft, base=base, contributor=False)
            errors = checked.errors
            if request.form.get("action") == "submit" and checked.ok:
                with runtime().session() as write:
                    row = write.get(Contribution, contribution_id)
                    service.edit(write, row, checked.record, g.moderator)
                flash(_("Modifications enregistrées : vérifiez-les puis publiez."))
                return redirect(url_for("moderation.item", contribution_id=contribution_id), 303)
            if request.form.get("action") != "submit":
                preview = preview_html(draft)
    body = render_template("moderation/edit.html", contribution=contribution,
                           preview_body=preview, similar=[],
                           action_url=request.path, **form_context(draft, errors))
    return body, 422 if errors and request.form.get("action") == "submit" else 200


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
        flash(str(exc))
    return None


def _sync(slug: str) -> None:
    try:
        with runtime().session(write=False) as read:
            indexing.sync_index(read, runtime().index, [slug])
    except IndexLockTimeout:
        # The database is the truth and is already committed; the index catches up later.
        log.exception("search index busy: %s not reindexed", slug)
        flash(_("L’index de recherche était occupé : lancez « kb check-index » si la pratique "
                "n’apparaît pas dans la recherche."))


def _republish_choice() -> bool | None:
    """The review page's explicit choice for a withdrawn practice: True, False or None."""
    return {"oui": True, "non": False}.get(request.form.get("republier", ""))


def _confirm(contribution_id: int, action: str, **fields):
    """The confirmation step (a page of its own: it works without JavaScript)."""
    contribution = _contribution(contribution_id)
    return render_template("moderation/confirm.html", contribution=contribution, action=action,
                           record=submissions.contribution_record(contribution), fields=fields)


@bp.post("/<int:contribution_id>/publier")
def publish(contribution_id: int):
    if request.form.get("confirm") != "1":
        return _confirm(contribution_id, "publish", republier=request.form.get("republier", ""))
    slug = _act(contribution_id, service.publish, notify=notify_published,
                republish=_republish_choice())
    if slug:
        _sync(slug)
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


@bp.get("/pratiques")
def practices():
    return render_template("moderation/practices.html",
                           practices=service.find_all_practices(db_session()))


def _set_published(slug: str, published: bool):
    with runtime().session() as write:
        found = service.set_published(write, slug, published, g.moderator)
    if not found:
        abort(404)
    _sync(slug)
    flash(_("Pratique remise en ligne.") if published else
          _("Pratique retirée : elle n’est plus visible ni cherchable."))
    return redirect(url_for("moderation.practices"), 303)


@bp.post("/pratiques/<slug>/retirer")
def unpublish(slug: str):
    return _set_published(slug, False)


@bp.post("/pratiques/<slug>/republier")
def republish(slug: str):
    return _set_published(slug, True)


@bp.get("/pratiques/<slug>.md")
def markdown(slug: str):
    practice = storage.get_practice(db_session(), slug, published_only=False) \
        if is_slug(slug) else None
    if practice is None:
        abort(404)
    text = dump_practice(storage.practice_record(practice))
    return Response(text, mimetype="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="{slug}.md"'})


@bp.get("/pratiques/<slug>/historique")
def history(slug: str):
    """Every revision, the unpublished ones included, with the purge form."""
    practice = storage.get_practice(db_session(), slug, published_only=False) \
        if is_slug(slug) else None
    if practice is None:
        abort(404)
    found = revisions.find_revisions(db_session(), practice.id, public_only=False)
    return render_template("moderation/history.html", practice=practice,
                           revisions=list(reversed(found)))


@bp.post("/pratiques/<slug>/historique/<int:number>/purger")
def purge(slug: str, number: int):
    practice = storage.get_practice(db_session(), slug, published_only=False) \
        if is_slug(slug) else None
    if practice is None:
        abort(404)
    try:
        with runtime().session() as write:
            row = storage.get_practice(write, slug, published_only=False)
            service.purge_revision(write, row, number, request.form.get("reason", ""), g.moderator)
        flash(_("Le contenu de la version %(n)d est retiré de l’historique ; le journal le garde.",
                n=number))
    except service.ModerationError as exc:
        flash(str(exc))
    return redirect(url_for("moderation.history", slug=slug), 303)


@bp.get("/journal")
def journal():
    entries = service.find_audit(db_session())
    titles = review.journal_titles(entries)
    lines = [(review.local_time(e.at), review.journal_sentence(e, titles), e.reason)
             for e in entries]
    return render_template("moderation/journal.html", lines=lines)
