"""Languages: French in the code, English from the committed catalogue.

The locale comes from ``?lang=fr|en`` (then remembered in a cookie), else the
cookie, else the browser's Accept-Language, else French.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_babel import Babel, get_locale, get_translations

from kb.catalogues import LOCALES, TRANSLATIONS, translation_dir

LANG_COOKIE = "kb_lang"
__all__ = ["LOCALES", "TRANSLATIONS", "translation_dir"]  # their home is kb.catalogues


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "fr")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translation_dir()))
    Babel(app, locale_selector=select_locale)
    # Templates call gettext about a hundred times a page; Flask-Babel looks up its
    # context, locale and catalogue cache at each call (1 to 1.5 ms a page).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    app.after_request(_remember_language)


def current_locale():
    """``flask_babel.get_locale()``, read straight from where Flask-Babel 4 keeps it once
    chosen (``g._flask_babel.babel_locale``, which ``force_locale`` also sets)."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None) if state is not None else None
    return locale if locale is not None else get_locale()


def translations():
    """``flask_babel.get_translations()``, kept for the locale (and domain) in force: the
    same object as long as they are, looked up again when ``force_locale`` changes them."""
    state = g.get("_flask_babel")
    if state is not None:
        key = (getattr(state, "babel_locale", None), getattr(state, "babel_domain", None))
        kept = getattr(state, "kb_translations", None)
        if key[0] is not None and kept is not None and kept[0][0] is key[0] and kept[0][1] is key[1]:
            return kept[1]
    found = get_translations()
    state = g.get("_flask_babel")
    if state is not None:
        key = (getattr(state, "babel_locale", None), getattr(state, "babel_domain", None))
        state.kb_translations = (key, found)
    return found


def select_locale() -> str:
    """``?lang=``, then the language cookie, then Accept-Language, then French."""
    for asked in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if asked in LOCALES:
            return asked
    return request.accept_languages.best_match(LOCALES, default="fr") or "fr"


def _remember_language(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LOCALES and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    response.vary.update(("Accept-Language", "Cookie"))
    return response
