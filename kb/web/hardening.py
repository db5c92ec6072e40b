"""What every response carries and what no view should see.

Security headers on every response (static files and errors included), HSTS
when ``KB_HSTS_SECONDS`` > 0, input that breaks libraries refused with a 400,
and integers in URLs bounded to what the id columns hold.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def init_hardening(app: Flask) -> None:
    app.after_request(_security_headers)
    app.after_request(_hsts)
    app.before_request(_refuse_broken_input)  # before CSRFProtect's hook (init_security)
    app.url_map.converters["int"] = BoundedInt


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _hsts(response: Response) -> Response:
    seconds = int(current_app.config.get("HSTS_SECONDS") or 0)
    if seconds > 0:
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={seconds}; includeSubDomains")
    return response


class BoundedInt(IntegerConverter):
    """``<int:...>`` limited to what every database column of ids holds."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=2**31 - 1 if max is None else max, signed=signed)


def _refuse_broken_input() -> None:
    """Refuse, before any view, what would break a library or a database.

    A form part without a name crashes Flask-WTF's CSRF check; a NUL character
    in a form is refused by PostgreSQL. Other control characters are refused field by
    field, with a message, by the form's checks.
    """
    if request.method == "POST" and request.mimetype == "multipart/form-data" and (
            None in request.form or None in request.files):
        raise BadRequest()
    if request.method == "POST":  # what a POST carries may be stored; queries are only read
        for key, value in request.form.items(multi=True):
            if "\x00" in key or "\x00" in value:
                raise BadRequest()
