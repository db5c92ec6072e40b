"""Moderator login and logout, and the check every moderation route runs first."""

from __future__ import annotations

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
from kb.web import db_session, runtime
from kb.web.i18n import current_locale
from kb.web.moderation import bp
from kb.web.security import check_rate


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
            with runtime().session() as write:  # their messages follow the site they use
                write.get(Moderator, found.id).locale = str(current_locale())
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
