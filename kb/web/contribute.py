"""Contributing without an account: propose a practice or a correction, follow it.

``init_security`` (called by the app factory) sets what protects every form of
the site: CSRF tokens (Flask-WTF), session cookie flags, request size limit,
and the rate limiter, built per app. The views:

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
    Flask,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from kb import storage
from kb.corpus import PracticeRecord
from kb.models import PENDING, Moderator, Practice
from kb.rendering import RenderTooSlow, render_markdown
from kb.services.contributions import revisions, submissions
from kb.services.contributions.drafts import (
    SECTION_GUIDES,
    Draft,
    check_draft,
    drop_empty_sections,
    error_messages,
)
from kb.services.contributions.ratelimit import (
    DatabaseStore,
    MemoryStore,
    Rate,
    RateLimiter,
)
from kb.web import db_session, runtime

bp = Blueprint("contribute", __name__)
log = logging.getLogger(__name__)

MAX_CONTENT_LENGTH = 256 * 1024
# Seconds of CPU a preview may take; the Markdown guard keeps real texts far below.
PREVIEW_BUDGET = 0.5


# -- security, set up once per app --------------------------------------------------

class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, marked Secure when configured so or served over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_security(app: Flask) -> None:
    """CSRF, cookies, size limit and rate limiter for ``app`` (called by the factory)."""
    config = app.config
    # Flask ships these keys set to None: fill them unless the deployment chose a value.
    for key, value in (("MAX_CONTENT_LENGTH", MAX_CONTENT_LENGTH), ("SESSION_COOKIE_SAMESITE", "Lax")):
        if config.get(key) is None:
            config[key] = value
    config.setdefault("CONTRIBUTION_RATE", "5/hour")
    config.setdefault("LOGIN_RATE", "10/minute")
    config.setdefault("PREVIEW_RATE", "30/minute")
    config.setdefault("RATELIMIT_STORAGE", "memory")
    config["SESSION_COOKIE_HTTPONLY"] = True
    # A contributor may take hours over a write-up: the token lives as long as the session.
    config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.session_interface = SessionInterface()
    proxies = int(config.get("PROXY_COUNT") or 0)
    if proxies:
        # Behind N reverse proxies: the client address (rate limits) and https (Secure
        # cookies) come from their X-Forwarded-* headers, trusted N hops deep only.
        # X-Forwarded-Host only when KB_PROXY_HOST says the proxy sets it: otherwise any
        # client could choose the host of the site's absolute links.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,
                                x_host=proxies if config.get("PROXY_HOST") else 0)
    CSRFProtect(app)
    storage_name = str(config["RATELIMIT_STORAGE"]).lower()
    if storage_name not in ("memory", "database"):
        raise ValueError("KB_RATELIMIT_STORAGE must be 'memory' or 'database'")
    rates = {"contribution": Rate.parse(config["CONTRIBUTION_RATE"]),
             "login": Rate.parse(config["LOGIN_RATE"]),
             "preview": Rate.parse(config["PREVIEW_RATE"])}
    horizon = max(rate.window for rate in rates.values())
    store = (DatabaseStore(app.extensions["kb"].session, horizon) if storage_name == "database"
             else MemoryStore())
    app.extensions["kb_limiter"] = RateLimiter(store)
    app.extensions["kb_rates"] = rates
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(TooManyRequests, _too_many)
    if 413 not in app.error_handler_spec[None]:
        app.register_error_handler(413, _too_large)


def check_rate(kind: str) -> None:
    """Count this request against the ``kind`` rate of its client; 429 past it."""
    limiter: RateLimiter = current_app.extensions["kb_limiter"]
    verdict = limiter.hit(f"{kind}:{request.remote_addr}", current_app.extensions["kb_rates"][kind])
    if not verdict.allowed:
        raise TooManyRequests(retry_after=verdict.retry_after)


def _error(code: int, title: str, message: str, **extra):
    return render_template("errors/error.html", code=code, title=title, message=message,
                           **extra), code


def _csrf_error(error: CSRFError):
    # Nothing typed is lost: a contribution form comes back filled, with a fresh token.
    notice = _("Le formulaire avait expiré : vérifiez-le puis envoyez-le de nouveau.")
    args = request.view_args or {}
    if request.endpoint in ("contribute.new", "contribute.correct"):
        draft = Draft.from_form(request.form)
        return _form_page(draft, target_slug=args.get("slug"), notice=notice), 400
    if request.endpoint == "contribute.follow":
        contribution = submissions.find_by_token(db_session(), args.get("token", ""))
        if contribution is not None:
            return _follow_page(contribution, Draft.from_form(request.form), notice=notice,
                                status=400)
    return _error(400, _("Formulaire refusé"),
                  _("Ce formulaire a expiré ou ne vient pas de ce site (jeton de sécurité absent "
                    "ou invalide). Revenez à la page précédente, rechargez-la et recommencez."))


def _too_many(error: TooManyRequests):
    body, code = _error(429, _("Trop d’envois"),
                        _("Vous avez fait trop d’envois en peu de temps. Merci de patienter "
                          "avant de réessayer : ce que vous avez saisi n’a pas été enregistré."))
    return body, code, {"Retry-After": str(error.retry_after or 60)}


def _too_large(_error_: HTTPException):
    return _error(413, _("Envoi trop volumineux"),
                  _("Ce que vous avez envoyé dépasse la taille acceptée (256 Kio)."))


# -- the form ---------------------------------------------------------------------

def registry_themes() -> list[str]:
    return storage.registry_theme_labels(db_session())


def organisation_names() -> list[str]:
    """Names and aliases of registry organisations and of those in published practices."""
    return storage.organisation_names(db_session())


def published_slugs() -> set[str]:
    return storage.published_slugs(db_session())


def form_context(draft: Draft, errors: dict | None = None, **extra) -> dict:
    """What ``contribute/_form.html`` needs besides the draft."""
    from kb.models import EVIDENCE_LEVELS, PRACTICE_STATUSES

    return {"draft": draft, "errors": errors or {}, "error_list": error_messages(errors or {}),
            "registry_themes": registry_themes(), "organisations": organisation_names(),
            "statuses": PRACTICE_STATUSES, "evidence_levels": EVIDENCE_LEVELS,
            "guides": SECTION_GUIDES, **extra}


def preview_html(draft: Draft):
    """The body as it will be published: empty sections dropped, sanitised.

    Past ``PREVIEW_BUDGET`` seconds of CPU, a French notice stands in for it.
    """
    try:
        return render_markdown(drop_empty_sections(draft.body), top_heading=4,
                               budget=PREVIEW_BUDGET)
    except RenderTooSlow:
        log.warning("preview over its CPU budget (%d characters)", len(draft.body))
        return Markup('<p class="notice">%s</p>') % _(
            "L’aperçu n’a pas pu être calculé à temps : le texte contient trop de mise en forme "
            "(crochets, astérisques, titres…). Votre texte est conservé ; simplifiez-le ou "
            "envoyez-le tel quel.")


def similar_to(draft: Draft, exclude: str | None = None):
    return submissions.find_similar(runtime().index, draft.title, draft.summary, exclude=exclude)


def _form_page(draft: Draft, *, target_slug: str | None = None, errors: dict | None = None,
               preview: bool = False, similar=None, notice: str | None = None,
               ack: str = "") -> str:
    target = storage.get_practice(db_session(), target_slug) if target_slug else None
    return render_template(
        "contribute/form.html", target=target, notice=notice, ack=ack,
        similar=similar if similar is not None else [],
        preview_body=preview_html(draft) if preview else None,
        action_url=(url_for("contribute.correct", slug=target_slug) if target_slug
                    else url_for("contribute.new")),
        **form_context(draft, errors),
    )


def _handle(target: PracticeRecord | None):
    """One POST of the contribution form: add a row, preview, or submit."""
    target_slug = target.slug if target else None
    draft = Draft.from_form(request.form)
    if request.form.get("add_row"):
        return _form_page(draft, target_slug=target_slug)
    if request.form.get("action") != "submit":
        check_rate("preview")  # before any work: a preview costs CPU, a submission is limited below
    checked = check_draft(draft, known_slugs=published_slugs(), base=target)
    similar = similar_to(draft, exclude=target_slug)
    ack = ",".join(hit.slug for hit in similar)
    if request.form.get("action") != "submit":
        return _form_page(draft, target_slug=target_slug, errors=checked.errors, preview=True,
                          similar=similar, ack=ack)
    if not checked.ok:
        return _form_page(draft, target_slug=target_slug, errors=checked.errors,
                          similar=similar, ack=ack), 422
    if draft.honeypot.strip():
        check_rate("contribution")
        log.info("honeypot filled from %s: contribution dropped", request.remote_addr)
        return _thanks(secrets.token_urlsafe(submissions.TOKEN_BYTES), target_slug)
    if similar and target is None and request.form.get("similar_ack", "") != ack:
        # Shown before anything is stored: the contributor confirms by sending again.
        notice = _("Des pratiques proches existent déjà. Vérifiez qu’il ne s’agit pas de la "
                   "même, puis envoyez de nouveau si la vôtre est différente.")
        return _form_page(draft, target_slug=target_slug, similar=similar, ack=ack, notice=notice)
    check_rate("contribution")
    with runtime().session() as session:
        _contribution, token = submissions.submit(session, checked.record, name=draft.name,
                                                  email=draft.email, target_slug=target_slug)
    return _thanks(token, target_slug)


def _thanks(token: str, target_slug: str | None) -> str:
    link = url_for("contribute.follow", token=token, _external=True)
    return render_template("contribute/thanks.html", link=link, correction=bool(target_slug))


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
        return _form_page(Draft.from_record(record, registry_themes()), target_slug=slug)
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
    if contribution.status != PENDING or request.method == "GET":
        return _follow_page(contribution)
    record = submissions.submitted_record(contribution)
    draft = Draft.from_form(request.form)
    if request.form.get("add_row"):
        return _follow_page(contribution, draft)
    if request.form.get("action") != "submit":
        check_rate("preview")
    checked = check_draft(draft, known_slugs=published_slugs(),
                          base=record if contribution.target_slug else None, contributor=False)
    if request.form.get("action") != "submit":
        return _follow_page(contribution, draft, checked.errors, preview=True)
    if not checked.ok:
        return _follow_page(contribution, draft, checked.errors, status=422)
    check_rate("contribution")
    with runtime().session() as session:
        submissions.amend(session, submissions.find_by_token(session, token), checked.record)
    return redirect(url_for("contribute.follow", token=token, modifiee=1), 303)


def _follow_page(contribution, draft: Draft | None = None, errors: dict | None = None, *,
                 preview: bool = False, notice: str | None = None, status: int = 200):
    """The contributor's private page; the amendment form while the review is pending."""
    record = submissions.submitted_record(contribution)
    if contribution.status == PENDING and draft is None:
        draft = Draft.from_record(record, registry_themes())
    context = form_context(draft, errors) if contribution.status == PENDING else {}
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
