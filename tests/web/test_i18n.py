"""French by default, English on demand; the catalogue works from a fresh clone."""

from __future__ import annotations

import shutil

import pytest
from babel.messages.pofile import read_po

from kb.config import ROOT
from kb.web.i18n import TRANSLATIONS, translation_dir

from .helpers import page


def test_french_by_default(client):
    html = page(client.get("/"))
    assert html.find("html", lang="fr")
    assert ("/?lang=en", "English") in html.links


def test_language_switch_link_is_in_the_header_and_keeps_the_page(client):
    html = page(client.get("/recherche?q=jardin&theme=theme-synthetique-1"))
    switch = html.find("a", **{"class": "lang-switch"})
    assert switch[0]["href"] == "/recherche?q=jardin&theme=theme-synthetique-1&lang=en"
    assert switch[0]["hreflang"] == "en" and switch[0]["lang"] == "en"


def test_english_on_demand_then_remembered(client):
    html = page(client.get("/?lang=en"))
    assert html.find("html", lang="en")
    assert html.h1() == ["Social housing practices, shared"]
    assert ("/?lang=fr", "Français") in html.links
    again = page(client.get("/recherche"))  # no parameter: the cookie answers
    assert again.find("html", lang="en") and "Search for a practice" in again.text
    back = page(client.get("/recherche?lang=fr"))
    assert back.find("html", lang="fr")
    assert page(client.get("/")).find("html", lang="fr")


def test_accept_language_is_the_fallback(client):
    html = page(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}))
    assert html.find("html", lang="en")
    html = page(client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}))
    assert html.find("html", lang="fr")


def test_unknown_language_falls_back_to_french(client):
    response = client.get("/?lang=xx")
    assert page(response).find("html", lang="fr")
    assert "kb_lang" not in response.headers.get("Set-Cookie", "")


def test_english_pages_mark_french_content(client):
    html = page(client.get("/pratiques/alpha-mediation?lang=en"))
    assert "At a glance" in html.text
    assert html.find("h1", lang="fr")


def test_english_error_page(client):
    response = client.get("/inconnu?lang=en")
    assert response.status_code == 404
    assert page(response).h1() == ["Page not found"]


def test_english_dates(client):
    assert "January 14, 2025" in page(client.get("/rendez-vous?lang=en")).text


def test_english_about_page(client):
    html = page(client.get("/a-propos?lang=en"))
    assert html.h1() == ["About kb"] and "kb forget-contributor" in html.text


# The front end's own files; other blueprints' strings share the catalogue but are
# translated by their authors.
FRONT_END = [
    "kb/web/__init__.py", "kb/web/pages.py", "kb/web/search.py", "kb/web/practices.py",
    "kb/web/browse.py", "kb/web/events.py", "templates/base.html", "templates/pages/home.html",
    "templates/pages/about.html", "templates/errors/error.html", "templates/search/_chips.html",
    "templates/search/_facets.html", "templates/search/_hits.html", "templates/search/_results.html",
    "templates/search/_searchbox.html", "templates/search/results.html", "templates/practices/show.html",
    "templates/browse/list.html", "templates/browse/value.html", "templates/events/index.html",
    "templates/events/show.html",
]


def front_end_messages() -> set:
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = set()
    for name in FRONT_END:
        method = "jinja2" if name.endswith(".html") else "python"
        for _line, message, _comments, _context in extract_from_file(
                method, str(ROOT / name), keywords=keywords):
            if isinstance(message, tuple):
                message = tuple(m for m in message if m is not None)
                message = message[0] if len(message) == 1 else message
            found.add(message)
    return found


def test_every_front_end_message_has_an_english_translation():
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and not m.fuzzy and (
        all(m.string) if isinstance(m.string, tuple) else m.string)}
    needed = front_end_messages()
    assert len(needed) > 100
    missing = {m for m in needed if (m if isinstance(m, str) else m[0]) not in
               {t if isinstance(t, str) else t[0] for t in translated}}
    assert not missing


def test_catalogue_compiles_in_a_checkout_when_mo_is_missing(tmp_path):
    source = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, source, ignore=shutil.ignore_patterns("*.mo"))
    assert translation_dir(source) == source
    assert (source / "en" / "LC_MESSAGES" / "messages.mo").stat().st_size > 1000


def test_installed_kb_never_compiles_at_run_time(tmp_path, monkeypatch):
    """An installed kb finds its .mo in the wheel; a missing one is an install error, said so."""
    source = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, source, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr("kb.config.IN_CHECKOUT", False)
    with pytest.raises(RuntimeError, match="python -m build"):
        translation_dir(source)
    assert not list(source.rglob("*.mo"))
