"""What every template shares: output cleaning, globals and filters."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import format_date, get_locale
from markupsafe import Markup

from kb.corpus.fields import CONTROL_RE


def init_templating(app: Flask) -> None:
    from kb.web import labels  # it reads kb.web's session helper: imported once that is loaded

    app.jinja_env.finalize = _finalize
    app.context_processor(_template_globals)
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_partial_date, "partial_date")
    app.add_template_filter(external_url, "external_url")
    labels.init_app(app)  # vocab, vocab_lang, tr


def _finalize(value):
    """Every ``{{ value }}`` of a template, without control characters (invalid in HTML)."""
    if isinstance(value, str) and CONTROL_RE.search(value):
        cleaned = CONTROL_RE.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


def lang_url(code: str) -> str:
    """The current page in language ``code``."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.path}?{urlencode([*args, ('lang', code)])}"


def format_day(value) -> str:
    """A date in words in the page's language: « 2 janvier 2025 »."""
    return format_date(value, "long") if value else ""


def format_partial_date(value: str | None) -> str:
    """``2021`` stays a year; ``2021-03`` becomes « mars 2021 »; a full date reads in words."""
    import datetime as dt

    if not value:
        return ""
    try:
        if len(value) == 7:
            return format_date(dt.date.fromisoformat(f"{value}-01"), "MMMM y")
        if len(value) == 10:
            return format_day(dt.date.fromisoformat(value))
    except ValueError:
        pass
    return value


def external_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) address, else None (never a javascript: link)."""
    from urllib.parse import urlsplit

    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _template_globals() -> dict:
    locale = str(get_locale() or "fr")
    return {
        "current_locale": locale,
        # Practices are written in French: their text is marked so when the interface is not.
        "fr": Markup(' lang="fr"') if locale != "fr" else "",
        "other_locale": "en" if locale == "fr" else "fr",
        "lang_url": lang_url,
    }
