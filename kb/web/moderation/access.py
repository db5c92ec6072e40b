"""Moderator login and logout, and the check every moderation route runs first.

Failed sign-ins cannot lock a moderator out: attempts on an account are counted
per (account, client address), so guessing from one address stops after
``KB_LOGIN_ACCOUNT_RATE`` attempts while the right password from any other
address still opens the account; each address is also bounded across accounts
(``KB_LOGIN_CLIENT_RATE``, and ``KB_LOGIN_RATE`` for every request). Unknown
accounts are counted the same way and answered with the same message, after
the same password-hash work: nothing tells whether an account exists.

The session cookie (signed, readable) holds the account's random session key,
its session version and the time of sign-in: no e-mail, no id.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time

from flask import (
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

from kb.models import Moderator
from kb.services.contributions import moderators, submissions
from kb.services.contributions.ratelimit import Verdict
from kb.web import db_session, runtime
from kb.web.i18n import current_locale
from kb.web.moderation import bp
from kb.web.security import check_rate, client_key


def client_address() -> str:
    """The client a sign-in attempt is counted against: the site-wide client key (an
    IPv6 /64, an IPv4 address), so the login limits count like every other limit."""
    return client_key()


def _session_moderator() -> Moderator | None:
    """The moderator of this session, if the session is still valid (key, version, age)."""
    key = session.get("moderator")
    if key is None:
        return None
    since = session.get("moderator_since")
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if not isinstance(since, int | float) or not 0 <= time.time() - since < lifetime:
        return None
    return moderators.session_moderator(db_session(), key, session.get("moderator_version"))


@bp.before_request
def require_moderator():
    g.moderator = _session_moderator()
    if g.moderator is None and ("moderator" in session or "moderator_id" in session):
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
        verdict = _sign_in_allowed(submissions.normalise_email(email), client_address())
        if not verdict.allowed:
            minutes = max(1, math.ceil(verdict.retry_after / 60))
            error = _("Trop de tentatives de connexion depuis votre adresse : par sécurité, "
                      "réessayez dans %(minutes)d minute(s).", minutes=minutes)
            headers["Retry-After"] = str(verdict.retry_after)
            return render_template("moderation/login.html", email=email, error=error), 429, headers
        found = moderators.authenticate(db_session(), email, request.form.get("password", ""))
        if found is not None:
            with runtime().session() as write:  # their messages follow the site they use
                write.get(Moderator, found.id).locale = str(current_locale())
            session.clear()
            session.permanent = True  # ends after KB_SESSION_HOURS, checked again on each request
            session["moderator"] = found.session_key
            session["moderator_version"] = found.session_version
            session["moderator_since"] = time.time()
            return redirect(_safe_next(request.args.get("suivant")), 303)
        error, status = _("Adresse ou mot de passe incorrect."), 401
    return render_template("moderation/login.html", email=email, error=error), status


def _sign_in_allowed(email: str, client: str) -> Verdict:
    """Count this attempt for (account, client), then for the client alone.

    Never for the account alone: that would let anyone lock its owner out. The
    account is named by a keyed hash: the address typed (perhaps a contributor's,
    perhaps a typo) is not stored in the counters, and no length of it can push
    the client out of the bucket's name.
    """
    limiter, rates = current_app.extensions["kb_limiter"], current_app.extensions["kb_rates"]
    account = hmac.new(str(current_app.secret_key).encode(), email.encode(),
                       hashlib.sha256).hexdigest()[:32]
    verdict = limiter.hit(f"login-account:{client}:{account}", rates["login_account"])
    if not verdict.allowed:
        return verdict
    return limiter.hit(f"login-client:{client}", rates["login_client"])


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
