"""Every message of the interface has its English translation (extracted with Babel)."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kb.config import ROOT

CATALOGUE = ROOT / "kb" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "_l": None, "N_": None, "gettext": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}


def _extracted() -> dict[str, str]:
    """msgid -> where it was found, read from the code and templates as pybabel does."""
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "kb" / "translations" / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        if filename.startswith((".venv", "node_modules", "tests")):
            continue
        key = message if isinstance(message, str) else message[0]
        found.setdefault(key, f"{filename}:{lineno}")
    return found


def test_every_extracted_message_has_an_english_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    extracted = _extracted()
    # Templates (pages and mails) and code are all read: a message from each.
    assert {"Oui, publier", "Bonjour,", "Page introuvable"} <= set(extracted)
    missing = []
    for msgid, where in sorted(extracted.items(), key=lambda item: item[1]):
        entry = catalogue.get(msgid)
        strings = entry.string if entry is not None else None
        if isinstance(strings, str):
            strings = (strings,)
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(f"{where}: {msgid}")
    assert not missing, f"{len(missing)} message(s) without English:\n" + "\n".join(missing)


def test_form_errors_are_shown_in_english_on_the_english_site(client):
    from .support import post_form

    client.get("/?lang=en")
    page = post_form(client, title="", email="x@", started="vers 2020").get_data(as_text=True)
    for english in ("Give the practice a title.", "write it like firstname.lastname@example.org",
                    "Start date: write it like 15/09/2021"):
        assert english in page, english
    assert "Donnez un titre" not in page and "Indiquez au moins" not in page


def test_registry_themes_show_their_english_label_while_values_stay_french(client):
    import re

    client.get("/?lang=en")
    page = client.get("/contribuer").get_data(as_text=True)
    assert re.search(r'name="themes" value="Médiation et lien social">\s*'
                     r'<label for="f-theme-\d+">Mediation and social ties</label>', page)
    french = client.get("/contribuer?lang=fr").get_data(as_text=True)
    assert re.search(r'<label for="f-theme-\d+" lang="fr">Médiation et lien social</label>', french)


def test_a_theme_registry_label_en_is_read_checked_and_written_back(tmp_path):
    from kb.corpus import ThemeRecord
    from kb.corpus.dump import dump_themes
    from kb.corpus.load import load_themes

    path = tmp_path / "_themes.yaml"
    path.write_text("- label: Santé mentale\n  label_en: Mental health\n- label: Autre\n"
                    "  label_en: 3\n", encoding="utf-8")
    problems: list = []
    themes = load_themes(path, "_themes.yaml", problems)
    assert themes == [ThemeRecord("Santé mentale", None, "Mental health")]
    assert [p.field for p in problems] == ["label_en"]
    assert "label_en: Mental health" in dump_themes(themes)


PRACTICE = "paris-equipe-departementale-logement-charte-prevention-expulsions"


def test_public_pages_show_vocabularies_in_english_while_links_keep_the_french_values(client):
    import re

    client.get("/?lang=en")
    page = client.get(f"/pratiques/{PRACTICE}").get_data(as_text=True)
    assert re.search(r'<a href="/recherche\?status=en\+cours">ongoing</a>', page)
    assert re.search(r'<a href="/recherche\?audience=locataires">tenants</a>', page)
    assert "<strong>emerging</strong>" in page and "émergente" not in page
    assert re.search(r'href="/themes/prevention-des-expulsions">Eviction prevention</a>', page)
    # Names stay as written, marked French for screen readers.
    assert re.search(r'href="/partenaires/etat" lang="fr">État</a>', page)
    search = client.get("/recherche?q=&status=en-cours").get_data(as_text=True)
    assert re.search(r'<span class="facet__label">emerging</span>', search)
    assert re.search(r'<span class="chip__facet">Status:</span> <span>ongoing</span>', search)
    french = client.get(f"/pratiques/{PRACTICE}?lang=fr").get_data(as_text=True)
    assert re.search(r'<a href="/recherche\?status=en\+cours">en cours</a>', french)
    assert re.search(r'<a href="/recherche\?audience=locataires">locataires</a>', french)


def test_feed_titles_and_csv_header_follow_the_language_the_data_stays_french(client):
    client.get("/?lang=en")
    feed = client.get("/themes/prevention-des-expulsions.atom").get_data(as_text=True)
    assert "<title>kb · theme: Eviction prevention</title>" in feed
    assert "<subtitle>Social housing practices published in kb</subtitle>" in feed
    csv = client.get("/recherche.csv?q=&status=en-cours").get_data(as_text=True).splitlines()
    assert csv[0] == ("\ufeffslug,title,summary,themes,landlords,partners,cities,districts,status,"
                      "start,end,evidence level,url")
    assert all(',"en cours",' in row for row in csv[1:]) and len(csv) > 2
    client.get("/?lang=fr")
    feed = client.get("/themes/prevention-des-expulsions.atom").get_data(as_text=True)
    assert "<title>kb · thème : Prévention des expulsions</title>" in feed
    assert client.get("/recherche.csv?q=").get_data(as_text=True).startswith(
        "\ufeffslug,titre,résumé,thèmes,")


def test_form_messages_quoting_what_was_typed_are_translated(client):
    from .support import post_form

    client.get("/?lang=en")
    page = post_form(client, inspired_by="Une pratique inconnue", title="T" * 301).get_data(
        as_text=True)
    assert "No published practice is called “Une pratique inconnue”" in page
    assert "The title is 301 characters long; 300 at most are allowed" in page
    client.get("/?lang=fr")
    french = post_form(client, inspired_by="Une pratique inconnue").get_data(as_text=True)
    assert "Aucune pratique publiée ne s’appelle « Une pratique inconnue »" in french


def test_a_message_is_french_text_that_keeps_its_id_and_values():
    from kb.messages import N_

    message = N_("La pratique n'a pas de version %(number)d.", number=7)
    assert message == "La pratique n'a pas de version 7." and isinstance(message, str)
    assert (message.msgid, message.params) == ("La pratique n'a pas de version %(number)d.",
                                               {"number": 7})
    assert N_("100 % des « %(x)s »") == "100 % des « %(x)s »"  # no values: left as written


def test_a_moderation_refusal_quoting_a_value_is_shown_in_the_moderators_language(
        client, mod_client, bundled_runtime):
    import html

    from .support import mod_post, pending_id, submit

    submit(client)
    number = pending_id(bundled_runtime)
    mod_client.get("/moderation?lang=en")
    response = mod_post(mod_client, f"/moderation/{number}/fusionner", target="nulle-part")
    page = html.unescape(mod_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "No practice has the identifier “nulle-part”." in page
    mod_client.get("/moderation?lang=fr")
    response = mod_post(mod_client, f"/moderation/{number}/fusionner", target="nulle-part")
    page = html.unescape(mod_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Aucune pratique n'a l'identifiant « nulle-part »." in page


def test_the_audience_registry_is_read_checked_and_written_back(tmp_path):
    from kb.corpus import AudienceRecord, dump_audiences
    from kb.corpus.audiences import load_audiences

    path = tmp_path / "_audiences.yaml"
    path.write_text("- label: locataires\n  label_en: tenants\n- label: jeunes\n"
                    "- label: Locataires\n- label: seniors\n  label_en: ''\n- label_fr: x\n",
                    encoding="utf-8")
    problems: list = []
    audiences = load_audiences(path, "_audiences.yaml", problems)
    assert audiences == [AudienceRecord("locataires", "tenants"), AudienceRecord("jeunes")]
    assert sorted((p.line, p.field) for p in problems) == [(4, "label"), (5, "label_en"),
                                                           (7, "label_fr")]
    assert dump_audiences(audiences) == "- label: locataires\n  label_en: tenants\n- label: jeunes\n"


def test_kbs_own_merge_notes_are_translated_a_moderators_reason_is_not(app):
    from flask_babel import force_locale

    from kb.models import AuditLog
    from kb.web.review import journal_reason

    def entry(action: str, reason: str) -> AuditLog:
        return AuditLog(action=action, target="contribution:1", reason=reason)

    with app.test_request_context("/"), force_locale("en"):
        assert journal_reason(entry("merge", "fusionnée dans a-b (pratique retirée : reste retirée)")) \
            == ("merged into a-b (withdrawn practice: stays withdrawn)", False)
        assert journal_reason(entry("merge", "fusionnée dans a (pratique retirée : à remettre en "
                                             "ligne)")) == (
            "merged into a (withdrawn practice: to be put back online)", False)
        assert journal_reason(entry("reject", "fusionnée dans a")) == ("fusionnée dans a", True)
        assert journal_reason(entry("reject", "Doublon")) == ("Doublon", True)
