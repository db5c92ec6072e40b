"""The review queue, a proposal's review page and the moderator's edit of it."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kb import storage
from kb.corpus import PracticeRecord
from kb.models import PENDING, Contribution, Moderator
from kb.services import mail
from kb.services import moderation as service
from kb.services.contributions import submissions
from kb.services.contributions.drafts import Draft
from kb.web import db_session, review, runtime
from kb.web.contribute.propose import check
from kb.web.contribute_form import (
    form_context,
    preview_html,
    published_titles,
    registry_themes,
    similar_to,
)
from kb.web.i18n import current_locale
from kb.web.moderation import bp
from kb.web.notifications import mail_settings

NOTIFY_CHOICES = {
    "each": _l("Vous recevrez un message pour chaque nouvelle proposition."),
    "digest": _l("Vous recevrez un résumé quotidien des propositions (commande kb mail digest)."),
    "none": _l("Vous ne recevrez plus de message pour les propositions."),
}


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
        moderator = write.get(Moderator, g.moderator.id)
        moderator.notify, moderator.locale = choice, str(current_locale())
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


def contribution_or_404(contribution_id: int) -> Contribution:
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
    contribution = contribution_or_404(contribution_id)
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
    contribution = contribution_or_404(contribution_id)
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
