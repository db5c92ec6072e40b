"""Controlled vocabularies and service messages, as the page's language shows them.

The French values stay in the data, the files, the URLs and the API; only what a
page shows is translated. Statuses and evidence levels are closed lists
(kb.vocabulary) translated by the catalogue; themes and audiences are registries
whose entries may carry a ``label_en``. A value without an English label is
shown as written, in French, and templates mark it ``lang="fr"`` (``vocab_lang``).

Registered for every template by ``init_app``: the filters ``vocab`` (a value
shown), ``vocab_lang`` (its ``lang`` attribute when it stays French) and ``tr``
(a service message translated).
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from kb import storage
from kb.taxonomy import label_key
from kb.web import db_session
from kb.web.i18n import current_locale

STATUS_LABELS = {"en projet": _l("en projet"), "expérimentation": _l("expérimentation"),
                 "en cours": _l("en cours"), "terminée": _l("terminée"),
                 "essaimée": _l("essaimée")}
EVIDENCE_LABELS = {"émergente": _l("émergente"), "prometteuse": _l("prometteuse"),
                   "éprouvée": _l("éprouvée")}
# "État" alone is already the catalogue's word for a status ("State"/"Status" clash):
# the kind gets its own message id, only ever shown translated (French shows the value).
ORG_KIND_LABELS = {"bailleur social": _l("bailleur social"), "association": _l("association"),
                   "collectivité": _l("collectivité"), "État": _l("État (organisation)"),
                   "autre": _l("autre")}
CLOSED_LISTS = {"status": STATUS_LABELS, "evidence": EVIDENCE_LABELS, "org_kind": ORG_KIND_LABELS}
# Registries with an English label: what the storage layer answers, per request.
REGISTRIES = {"theme": storage.english_theme_labels, "audience": storage.english_audience_labels}


def english() -> bool:
    return str(current_locale() or "fr") == "en"


def _registry(kind: str) -> dict[str, str]:
    cache = g.setdefault("kb_english_labels", {})
    if kind not in cache:
        cache[kind] = REGISTRIES[kind](db_session())
    return cache[kind]


def vocab(value: str | None, kind: str) -> str:
    """``value`` of ``kind`` (status, evidence, org_kind, theme, audience) as the page shows it.

    Any other kind (landlords, partners, cities: names) is shown as written.
    """
    if not value or not english():
        return value or ""
    if kind in CLOSED_LISTS:
        shown = CLOSED_LISTS[kind].get(value)
        return str(shown) if shown is not None else value
    if kind in REGISTRIES:
        return _registry(kind).get(label_key(value), value)
    return value


def vocab_lang(value: str | None, kind: str) -> Markup | str:
    """`` lang="fr"`` when ``value`` is shown in French on a page that is not (names included)."""
    if not value or not english() or vocab(value, kind) != value:
        return ""
    return Markup(' lang="fr"')


def translate_facet_labels(labels: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """Facet labels (facet -> slug -> label) in the page's language, in place.

    Returns, per facet, the slugs whose label was translated (the others stay
    French and are marked so). Slugs in URLs and labels in the data are unchanged.
    """
    translated: dict[str, set[str]] = {}
    if not english():
        return translated
    for kind in ("theme", "audience", "status", "evidence"):
        done = translated.setdefault(kind, set())
        for slug, label in labels.get(kind, {}).items():
            shown = vocab(label, kind)
            if shown != label:
                labels[kind][slug] = shown
                done.add(slug)
    return translated


def translate(message: str) -> str:
    """A message of the services in the page's language.

    A ``kb.messages.Message`` is translated, then its values are filled in; a
    plain string marked with ``N_`` is translated as it is (Flask-Babel's
    ``gettext`` without values does no %-formatting, so a message quoting what
    a contributor typed is shown as typed).
    """
    params = getattr(message, "params", None)
    if params:
        return _(message.msgid, **params)  # type: ignore[attr-defined]
    return _(str(message))


def init_app(app: Flask) -> None:
    app.add_template_filter(vocab, "vocab")
    app.add_template_filter(vocab_lang, "vocab_lang")
    app.add_template_filter(translate, "tr")
