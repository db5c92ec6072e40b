"""What protects every form of the site, set up once per app by ``init_security``.

CSRF tokens (Flask-WTF), session cookie flags (Secure behind HTTPS), the request
size limit, the X-Forwarded-* headers of trusted proxies, and the rate limiter
(``check_rate``), with the French error pages for 400, 413 and 429.
"""

from __future__ import annotations

from flask import (
    Flask,
    current_app,
    render_template,
    request,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from kb.services.contributions import submissions
from kb.services.contributions.drafts import (
    Draft,
)
from kb.services.contributions.ratelimit import (
    DatabaseStore,
    MemoryStore,
    Rate,
    RateLimiter,
    network_key,
)
from kb.web import db_session

MAX_CONTENT_LENGTH = 256 * 1024


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
    app.register_error_handler(TooManyRequests, too_many)
    if 413 not in app.error_handler_spec[None]:
        app.register_error_handler(413, _too_large)


def client_key(address: str | None = None) -> str:
    """Who a request counts as in every rate limit: its IPv6 /64, or its IPv4 address.

    ``address`` defaults to this request's client address (after the trusted proxies).
    """
    return network_key(request.remote_addr if address is None else address)


def check_rate(kind: str) -> None:
    """Count this request against the ``kind`` rate of its client; 429 past it."""
    limiter: RateLimiter = current_app.extensions["kb_limiter"]
    verdict = limiter.hit(f"{kind}:{client_key()}", current_app.extensions["kb_rates"][kind])
    if not verdict.allowed:
        raise TooManyRequests(retry_after=verdict.retry_after)


def _error(code: int, title: str, message: str, **extra):
    return render_template("errors/error.html", code=code, title=title, message=message,
                           **extra), code


def _csrf_error(error: CSRFError):
    # Imported here: the contribution views import this module.
    from kb.web.contribute.follow import follow_page
    from kb.web.contribute.propose import form_page

    # Nothing typed is lost: a contribution form comes back filled, with a fresh token.
    notice = _("Le formulaire avait expiré : vérifiez-le puis envoyez-le de nouveau.")
    args = request.view_args or {}
    if request.endpoint in ("contribute.new", "contribute.correct"):
        draft = Draft.from_form(request.form)
        return form_page(draft, target_slug=args.get("slug"), notice=notice), 400
    if request.endpoint == "contribute.follow":
        contribution = submissions.find_by_token(db_session(), args.get("token", ""))
        if contribution is not None and contribution.status == submissions.DRAFT:
            # The page's form posts to the private link: never cached.
            return form_page(Draft.from_form(request.form), target_slug=contribution.target_slug,
                             notice=notice, action_url=request.path, saved_draft=True), 400, {
                                 "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
        if contribution is not None:
            return follow_page(contribution, Draft.from_form(request.form), notice=notice,
                               status=400)
    return _error(400, _("Formulaire refusé"),
                  _("Ce formulaire a expiré ou ne vient pas de ce site (jeton de sécurité absent "
                    "ou invalide). Revenez à la page précédente, rechargez-la et recommencez."))


def too_many(error: TooManyRequests):
    """The site-wide 429 page (the contribution forms give the form back instead)."""
    body, code = _error(429, _("Trop d’envois"),
                        _("Vous avez fait trop d’envois en peu de temps. Merci de patienter "
                          "avant de réessayer : ce que vous avez saisi n’a pas été enregistré."))
    return body, code, {"Retry-After": str(error.retry_after or 60)}


def _too_large(_error_: HTTPException):
    return _error(413, _("Envoi trop volumineux"),
                  _("Ce que vous avez envoyé dépasse la taille acceptée (256 Kio)."))


