"""Contributing without an account: propose a practice or a correction, follow it.

What protects every form of the site (CSRF, cookies, size limit, rate limits) is
in kb.web.security; what the form shows besides the draft (labels, guides,
suggestions, preview) is in kb.web.contribute_form. The views:

- ``/contribuer``: the form, "Prévisualiser", "Ajouter une ligne", "Envoyer";
- ``/contribuer/similaires``: JSON duplicate hints for the progressive script;
- ``/contribuer/suivi/<token>``: the contributor's private page (status, amend);
- ``/pratiques/<slug>/corriger``: the same form, pre-filled, as a proposed revision;
- ``/pratiques/<slug>/historique`` and ``.../historique/diff``: the public history.

Spam: a honeypot field filled in gets the same thank-you page as a real
contribution, but nothing is stored; at most ``KB_CONTRIBUTION_RATE``
contributions (default 5/hour) are accepted per client address.
"""

from __future__ import annotations

import logging
import secrets

from flask import (
    Blueprint,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from kb import storage
from kb.corpus import PracticeRecord
from kb.models import (
    PENDING,
    Moderator,
    Practice,
)
from kb.services.contributions import revisions, submissions
from kb.services.contributions.drafts import (
    Draft,
    check_draft,
)
from kb.services.contributions.wording import N_
from kb.web import db_session, runtime
from kb.web.contribute_form import (
    form_context,
    preview_html,
    published_titles,
    registry_themes,
    similar_to,
    theme_label,
    translate_message,
    vocabulary_labels,
)
from kb.web.notifications import deliver_pending, follow_url, notify_draft, notify_submission
from kb.web.security import check_rate

bp = Blueprint("contribute", __name__)
log = logging.getLogger(__name__)


# Registered by this blueprint for the whole app, as before the helpers moved out.
bp.app_context_processor(vocabulary_labels)
bp.app_template_filter("theme_label")(theme_label)
bp.app_template_filter("tr")(translate_message)



def _form_page(draft: Draft, *, target_slug: str | None = None, errors: dict | None = None,
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


def _handle(target: PracticeRecord | None, contribution=None, token: str | None = None):
    """One POST of the contribution form: add a row, preview, save a draft, or send.

    ``contribution`` is the saved draft being worked on (from its private link).
    """
    target_slug = target.slug if target else None
    draft = Draft.from_form(request.form)
    page = {"target_slug": target_slug, "saved_draft": contribution is not None,
            "action_url": request.path if contribution is not None else None}
    action = request.form.get("action", "")
    if request.form.get("add_row") or action == "restore":
        return _form_page(draft, **page)
    if action == "save":
        return _save_draft(draft, target_slug, contribution, token)
    if action != "submit":
        check_rate("preview")  # before any work: a preview costs CPU, a submission is limited below
    checked = check(draft, base=target)
    similar = similar_to(draft, exclude=target_slug)
    ack = ",".join(hit.slug for hit in similar)
    if action != "submit":
        return _form_page(draft, errors=checked.errors, preview=True, similar=similar, ack=ack,
                          **page)
    if not checked.ok:
        return _form_page(draft, errors=checked.errors, similar=similar, ack=ack, **page), 422
    if draft.honeypot.strip():
        check_rate("contribution")
        log.info("honeypot filled from %s: contribution dropped", request.remote_addr)
        return _thanks(secrets.token_urlsafe(submissions.TOKEN_BYTES), target_slug)
    if similar and target is None and request.form.get("similar_ack", "") != ack:
        # Shown before anything is stored: the contributor confirms by sending again.
        notice = _("Des pratiques proches existent déjà. Vérifiez qu’il ne s’agit pas de la "
                   "même, puis envoyez de nouveau si la vôtre est différente.")
        return _form_page(draft, similar=similar, ack=ack, notice=notice, preview=True, **page)
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
        return _form_page(Draft())
    return _handle(None)


@bp.route("/pratiques/<slug>/corriger", methods=["GET", "POST"])
def correct(slug: str):
    practice = _published_or_404(slug)
    record = storage.practice_record(practice)
    if request.method == "GET":
        return _form_page(Draft.from_record(record, registry_themes(), published_titles()),
                          target_slug=slug)
    return _handle(record)


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


# -- the contributor's private page ------------------------------------------------

@bp.route("/contribuer/suivi/<token>", methods=["GET", "POST"])
def follow(token: str):
    contribution = submissions.find_by_token(db_session(), token)
    if contribution is None:
        abort(404)
    if contribution.status == submissions.DRAFT:
        return _draft_page(contribution, token)
    if contribution.status != PENDING or request.method == "GET":
        return _follow_page(contribution)
    record = submissions.submitted_record(contribution)
    draft = Draft.from_form(request.form)
    if request.form.get("add_row"):
        return _follow_page(contribution, draft)
    if request.form.get("action") != "submit":
        check_rate("preview")
    checked = check(draft, base=record if contribution.target_slug else None, contributor=False)
    if request.form.get("action") != "submit":
        return _follow_page(contribution, draft, checked.errors, preview=True)
    if not checked.ok:
        return _follow_page(contribution, draft, checked.errors, status=422)
    check_rate("contribution")
    with runtime().session() as session:
        submissions.amend(session, submissions.find_by_token(session, token), checked.record,
                          note=draft.change_note)
    return redirect(url_for("contribute.follow", token=token, modifiee=1), 303)


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
        body = _form_page(draft, target_slug=target.slug if target else None, notice=notice,
                          action_url=request.path, saved_draft=True)
        return body, 200, headers
    result = _handle(target, contribution, token)
    return result


def _follow_page(contribution, draft: Draft | None = None, errors: dict | None = None, *,
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


# -- public history ---------------------------------------------------------------

def _published_or_404(slug: str) -> Practice:
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
    practice = _published_or_404(slug)
    found = revisions.find_revisions(db_session(), practice.id)
    return render_template("contribute/history.html", practice=practice,
                           revisions=list(reversed(found)), author=revision_author)


@bp.get("/pratiques/<slug>/historique/diff")
def history_diff(slug: str):
    practice = _published_or_404(slug)
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
