"""The quick translation lookup used by templates (kb/web/i18n.py) answers as Flask-Babel
does: per request, and again inside ``force_locale`` (mails in another language)."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, get_locale, get_translations

from kb.web.i18n import current_locale, translations


def test_the_quick_lookup_follows_the_request_and_force_locale(app):
    with app.test_request_context("/?lang=en"):
        assert str(current_locale()) == "en" == str(get_locale())
        assert translations() is get_translations()
        assert render_template_string("{{ _('Rechercher') }}") == "Search"
        with force_locale("fr"):
            assert str(current_locale()) == "fr"
            assert translations() is get_translations()
            assert render_template_string("{{ _('Rechercher') }}") == "Rechercher"
        assert str(current_locale()) == "en"
        assert translations() is get_translations()
        assert render_template_string("{{ _('Rechercher') }}") == "Search"


def test_french_requests_stay_french(app):
    with app.test_request_context("/"):
        assert str(current_locale()) == "fr"
        assert render_template_string("{{ _('Rechercher') }}") == "Rechercher"
        assert render_template_string("{{ ngettext('%(num)d pratique', '%(num)d pratiques', 2) }}") \
            == "2 pratiques"
