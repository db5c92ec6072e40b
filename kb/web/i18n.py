"""Languages: French in the code, English from the committed catalogue.

The locale comes from ``?lang=fr|en`` (then remembered in a cookie), else the
cookie, else the browser's Accept-Language, else French.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import Flask, Response, request
from flask_babel import Babel

LOCALES = ("fr", "en")
LANG_COOKIE = "kb_lang"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "fr")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translation_dir()))
    Babel(app, locale_selector=select_locale)
    app.after_request(_remember_language)


def select_locale() -> str:
    """``?lang=``, then the language cookie, then Accept-Language, then French."""
    for asked in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if asked in LOCALES:
            return asked
    return request.accept_languages.best_match(LOCALES, default="fr") or "fr"


def translation_dir(source: Path = TRANSLATIONS) -> Path:
    """The folder of compiled catalogues (``*/LC_MESSAGES/messages.mo``).

    An installed kb ships them compiled in its wheel (setup.py builds them) and
    never compiles at run time. Run from a git checkout, where the ``.mo`` files
    are not committed, a missing or stale one is compiled next to its ``.po``.
    """
    from kb.config import IN_CHECKOUT

    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not IN_CHECKOUT:
            # Installers do not keep file times: only the presence of the .mo says anything.
            if not mo.exists():
                raise RuntimeError(f"kb est mal installé : {mo} manque ; construisez la roue avec "
                                   "« python -m build », qui compile les traductions")
            continue
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            _compile_catalogue(po, mo)
    return source


def _compile_catalogue(po: Path, mo: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    # Written aside then renamed: two workers starting together never read half a file.
    fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    with os.fdopen(fd, "wb") as handle:
        write_mo(handle, catalog)
    os.replace(tmp, mo)


def _remember_language(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LOCALES and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    response.vary.update(("Accept-Language", "Cookie"))
    return response
