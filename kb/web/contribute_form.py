"""What the contribution form shows besides the draft: translated labels, writing
guides and examples, suggestions (themes, organisations, cities, titles), the
preview, and the template helper ``theme_label`` the contribution blueprint
registers for the whole app.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from kb import storage
from kb.models import (
    EVIDENCE_LEVELS,
    PRACTICE_STATUSES,
)
from kb.rendering import RenderTooSlow, render_markdown
from kb.services.contributions import submissions
from kb.services.contributions.drafts import (
    Draft,
    drop_empty_sections,
    error_messages,
)
from kb.services.contributions.sections import SECTION_KEYS
from kb.web import db_session, runtime
from kb.web.labels import EVIDENCE_LABELS, STATUS_LABELS, vocab

log = logging.getLogger(__name__)

# Seconds of CPU a preview may take; the Markdown guard keeps real texts far below.
PREVIEW_BUDGET = 0.5

SECTION_LABELS = {"Contexte": _l("Contexte"), "Objectifs": _l("Objectifs"),
                  "Mise en œuvre": _l("Mise en œuvre"), "Moyens": _l("Moyens"),
                  "Résultats": _l("Résultats"), "Points de vigilance": _l("Points de vigilance"),
                  "Pour essaimer": _l("Pour essaimer")}
GUIDES = {
    "Contexte": _l("Le territoire, le problème constaté, qui a lancé la démarche et pourquoi."),
    "Objectifs": _l("Ce que la pratique cherche à changer, et pour qui."),
    "Mise en œuvre": _l("Les étapes, qui fait quoi avec qui, le calendrier."),
    "Moyens": _l("Personnes mobilisées, budget, financeurs, outils."),
    "Résultats": _l("Ce qui a été observé ou mesuré, et d'après quelle source."),
    "Points de vigilance": _l("Les difficultés rencontrées et les conditions de réussite."),
    "Pour essaimer": _l("Ce qu'il faut pour reproduire la pratique ailleurs."),
}
EXAMPLES = {
    "Contexte": _l("Exemple : « Dans la résidence, des regroupements dans les halls inquiétaient "
                   "les locataires depuis 2019. »"),
    "Objectifs": _l("Exemple : « Apaiser les halls et recréer du lien entre jeunes et locataires. »"),
    "Mise en œuvre": _l("Exemple : « - repérage avec les gardiens », puis à la ligne "
                        "« - tournées en soirée deux fois par semaine »"),
    "Moyens": _l("Exemple : « Deux médiateurs à plein temps, financés par le bailleur et la ville. »"),
    "Résultats": _l("Exemple : « Moins de signalements au bailleur la première année, d'après son "
                    "bilan. »"),
    "Points de vigilance": _l("Exemple : « Associer les gardiens dès le départ. »"),
    "Pour essaimer": _l("Exemple : « Un partenaire de prévention déjà présent dans le quartier. »"),
}



def vocabulary_labels() -> dict:
    """Controlled values as shown (translated) wherever a draft is previewed."""
    return {"status_labels": STATUS_LABELS, "evidence_labels": EVIDENCE_LABELS}


def theme_label(label: str) -> str:
    """A theme as shown: its registry ``label_en`` on the English site, else the label itself."""
    return vocab(label, "theme")


def registry_themes() -> list[str]:
    return storage.registry_theme_labels(db_session())


def organisation_names() -> list[str]:
    """Names and aliases of registry organisations and of those in published practices."""
    return storage.organisation_names(db_session())


def published_slugs() -> set[str]:
    return storage.published_slugs(db_session())


def published_titles() -> dict[str, str]:
    """Identifier -> title of every published practice ("Inspirée de" names them by title)."""
    return storage.published_title_map(db_session())


# Suggestions are a help, not the rule: past this many, the page would weigh more than it
# helps (any published title or any city typed in full is still accepted).
MAX_SUGGESTIONS = 800


def _used_labels(kind: str) -> list[str]:
    return storage.used_labels(db_session(), kind, MAX_SUGGESTIONS)


def suggested_titles() -> list[str]:
    """Titles offered while typing "Inspirée de": the most recently updated first."""
    return storage.recent_titles(db_session(), MAX_SUGGESTIONS)


def form_context(draft: Draft, errors: dict | None = None, *, lookups: bool = True,
                 **extra) -> dict:
    """What ``contribute/_form.html`` needs besides the draft.

    Without ``lookups`` nothing is read from the database (it is away): the form
    comes back with what was typed, without the suggestions.
    """
    read = (lambda call, *args: call(*args)) if lookups else (lambda call, *args: [])
    return {"draft": draft, "errors": errors or {}, "error_list": error_messages(errors or {}),
            "registry_themes": read(registry_themes), "organisations": read(organisation_names),
            "known_cities": read(_used_labels, "city"),
            "known_audiences": read(_used_labels, "audience"),
            "practice_titles": read(suggested_titles),
            "statuses": PRACTICE_STATUSES, "evidence_levels": EVIDENCE_LEVELS,
            "status_labels": STATUS_LABELS, "evidence_labels": EVIDENCE_LABELS,
            "section_keys": SECTION_KEYS, "section_labels": SECTION_LABELS,
            "guides": GUIDES, "examples": EXAMPLES, "correction_note": False, **extra}


def preview_html(draft: Draft):
    """The body as it will be published: empty sections dropped, sanitised.

    Past ``PREVIEW_BUDGET`` seconds of CPU, a French notice stands in for it.
    """
    try:
        return render_markdown(drop_empty_sections(draft.body), top_heading=4,
                               budget=PREVIEW_BUDGET)
    except RenderTooSlow:
        log.warning("preview over its CPU budget (%d characters)", len(draft.body))
        return Markup('<p class="notice">%s</p>') % _(
            "L’aperçu n’a pas pu être calculé à temps : le texte contient trop de mise en forme "
            "(crochets, astérisques, titres…). Votre texte est conservé ; simplifiez-le ou "
            "envoyez-le tel quel.")


def similar_to(draft: Draft, exclude: str | None = None):
    return submissions.find_similar(runtime().index, draft.title, draft.summary, exclude=exclude)

