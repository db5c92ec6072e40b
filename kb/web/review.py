"""What the moderation pages show: the review of one proposal, waiting times, the journal.

No routes here (they are in ``kb.web.moderation``): the words and pieces a
moderator reads, in the site's language, with times in Europe/Paris.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from kb import storage
from kb.models import AuditLog, Contribution
from kb.services import moderation
from kb.services.contributions import changes, revisions, submissions
from kb.services.contributions.drafts import Draft
from kb.web import db_session
from kb.web.labels import translate

PARIS = ZoneInfo("Europe/Paris")

# The common reasons offered when refusing (the moderator may write another).
REFUSAL_REASONS = (
    _l("Il manque une source vérifiable : ajoutez un compte rendu, un article ou un rapport "
       "qui décrit la pratique."),
    _l("Cette pratique est déjà publiée : proposez plutôt une correction depuis sa page."),
    _l("La fiche nomme des personnes privées : nommez des fonctions et des organisations."),
    _l("La description est trop courte pour être utile : précisez le contexte et la mise en "
       "œuvre."),
    _l("Le texte présente une offre commerciale plutôt qu’une pratique."),
)


FIELD_LABELS = {
    "title": _l("Titre"), "summary": _l("Résumé"), "themes": _l("Thèmes"),
    "landlords": _l("Bailleurs"), "partners": _l("Partenaires"), "cities": _l("Villes"),
    "districts": _l("Quartiers"), "audiences": _l("Publics"), "status": _l("Statut"),
    "started": _l("Début"), "ended": _l("Fin"), "evidence": _l("Niveau de preuve"),
    "inspired_by": _l("Inspirée de"), "sources": _l("Sources"), "contact": _l("Contact"),
}


def moderator_name(moderator) -> str:
    """The name moderators chose, else "modérateur n° N" in the page's language."""
    return moderator.display_name or _("modérateur n° %(n)d", n=moderator.id)


def local_time(moment: dt.datetime) -> dt.datetime:
    """A stored UTC time (naive) in Paris time."""
    return moment.replace(tzinfo=dt.UTC).astimezone(PARIS)


def waiting_label(since: dt.datetime, now: dt.datetime | None = None) -> str:
    """"depuis 3 jours", "depuis 5 heures"... for a stored UTC time."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    seconds = max((now - since).total_seconds(), 0)
    hours, days = int(seconds // 3600), int(seconds // 86400)
    if days >= 1:
        return ngettext("depuis %(num)d jour", "depuis %(num)d jours", days)
    if hours >= 1:
        return ngettext("depuis %(num)d heure", "depuis %(num)d heures", hours)
    return _("depuis moins d’une heure")


@dataclass(frozen=True)
class QueueRow:
    contribution: Contribution
    title: str
    correction: bool
    contributor: str
    waiting: str


def queue_rows(items: list[Contribution]) -> list[QueueRow]:
    return [QueueRow(c, submissions.contribution_record(c).title, c.kind == "correction",
                     c.contributor_name or _("(nom effacé)"), waiting_label(c.created_at))
            for c in items]


def next_pending(exclude: int) -> Contribution | None:
    """The oldest proposal still waiting, other than ``exclude``."""
    return storage.next_pending_contribution(db_session(), exclude)


def review_context(contribution: Contribution) -> dict:
    """The review page: the preview, then what changes, then the edits of moderation."""
    record = submissions.contribution_record(contribution)
    current = None
    if contribution.target_slug:
        current = storage.get_practice(db_session(), contribution.target_slug, published_only=False)
    before = storage.practice_record(current) if current else None
    if current:
        record.slug = current.slug
    sent = submissions.submitted_record(contribution)
    edited = revisions.snapshot(sent) != revisions.snapshot(record)
    return {
        "record": record, "current": current, "draft": Draft.from_record(record),
        "fields": changes.field_changes(before, record),
        "blocks": changes.body_changes(before.body if before else "", record.body),
        "edit_fields": changes.field_changes(sent, record) if edited else [],
        "edit_blocks": changes.body_changes(sent.body, record.body) if edited else [],
        "edited": edited, "field_labels": FIELD_LABELS,
    }


_ACTIONS = {
    "publish": _l("Publication de « %(what)s » par %(who)s"),
    "reject": _l("Refus de « %(what)s » par %(who)s"),
    "merge": _l("Fusion de « %(what)s » par %(who)s"),
    "edit": _l("Modification de « %(what)s » par %(who)s"),
    "unpublish": _l("Retrait de « %(what)s » par %(who)s"),
    "republish": _l("Remise en ligne de « %(what)s » par %(who)s"),
}


def journal_sentence(entry: AuditLog, titles: dict[str, str]) -> str:
    """One line of the journal as a sentence: "Publication de « X » par Modératrice A"."""
    who = moderator_name(entry.moderator) if entry.moderator else _("un modérateur supprimé")
    what = titles.get(entry.target, entry.target)
    template = _ACTIONS.get(entry.action)
    if template is None:
        return _("%(action)s sur « %(what)s » par %(who)s", action=entry.action, what=what, who=who)
    return str(template) % {"what": what, "who": who}


def journal_reason(entry: AuditLog) -> tuple[str | None, bool]:
    """(text, written by a person) of an entry's reason or note.

    A moderator's reason is shown as written (in French, marked so); the note kb
    itself writes on a merge is translated into the page's language.
    """
    note = moderation.merge_note_message(entry.reason) if entry.action == "merge" else None
    return (entry.reason, True) if note is None else (translate(note), False)


def journal_titles(entries: list[AuditLog]) -> dict[str, str]:
    """Titles of the proposals and practices the entries name ("contribution:2" -> title)."""
    ids = [int(e.target.split(":", 1)[1]) for e in entries
           if e.target.startswith("contribution:") and e.target.split(":", 1)[1].isdigit()]
    slugs = [e.target.split(":", 1)[1] for e in entries if e.target.startswith("practice:")]
    titles: dict[str, str] = {}
    for contribution in storage.contributions_by_id(db_session(), ids):
        if contribution.status != submissions.DRAFT:
            titles[f"contribution:{contribution.id}"] = submissions.contribution_record(
                contribution).title
    for slug, title in storage.practice_titles(db_session(), slugs).items():
        titles[f"practice:{slug}"] = title
    return titles
