"""The compiled message catalogues, for the web layer and for what runs outside it.

French is the source language; English lives in
``kb/translations/en/LC_MESSAGES/messages.po``. The site reads the catalogues
through Flask-Babel (``kb.web.i18n``); services that write a message for a
given person outside any request (the moderators' daily digest, sent by
``kb mail digest``) read them through ``translations_for``.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALES = ("fr", "en")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


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


@lru_cache(maxsize=len(LOCALES))
def translations_for(locale: str) -> NullTranslations:
    """The catalogue of ``locale`` (French, the source language, or unknown: none)."""
    if locale not in LOCALES or locale == "fr":
        return NullTranslations()
    return Translations.load(str(translation_dir()), [locale])
