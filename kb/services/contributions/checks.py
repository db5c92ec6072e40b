"""The checks of a draft: corpus rules, column sizes and the contributor's fields,
with problems keyed by form field and bounded in number."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kb.config import DEFAULT_LICENCE
from kb.corpus import PracticeRecord, Problem, practice_from_data
from kb.corpus.fields import first_control, first_line_break
from kb.messages import N_
from kb.services.contributions.limits import (
    FIELD_LABELS,
    LIST_FIELDS,
    MAX_LENGTHS,
    URL_IN_TEXT_RE,
    single_address,
)
from kb.services.contributions.wording import plain_message
from kb.taxonomy import label_key

if TYPE_CHECKING:
    from kb.services.contributions.drafts import Draft

# A source's field over its column size, said with the field's name in the form.
SOURCE_TOO_LONG = {
    "title": N_("« Titre » : %(limit)d caractères au plus"),
    "url": N_("« Adresse » : %(limit)d caractères au plus"),
    "publisher": N_("« Éditeur » : %(limit)d caractères au plus"),
}
_EMPTY_SECTION = re.compile(r"^##[^\n]*\n\s*(?=^##|\Z)", re.MULTILINE)


@dataclass
class Checked:
    """The record a draft makes, or the problems keyed by form field (``sources-2``...)."""

    record: PracticeRecord | None
    errors: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        return self.record is not None and not self.errors


def drop_empty_sections(body: str) -> str:
    """The body without the template's headings left empty."""
    previous = None
    while previous != body:
        previous, body = body, _EMPTY_SECTION.sub("", body)
    return body.strip()


def _french(message: str) -> str:
    for key, label in FIELD_LABELS.items():
        message = message.replace(f"« {key} »", f"« {label} »")
    return message[:1].upper() + message[1:]


def _field_of(problem: Problem, draft: Draft) -> str:
    """The form field a corpus problem is about."""
    if problem.field == "sources" and problem.index is not None:
        rows = draft.filled_sources()
        if problem.index < len(rows):
            return f"sources-{rows[problem.index][0]}"
    if problem.field == "partners" and problem.index is not None:
        rows = [i for i, p in draft.filled_partners() if p["name"]]
        if problem.index < len(rows):
            return f"partners-{rows[problem.index]}"
    if problem.field == "themes":
        return "themes"
    return problem.field if problem.field in FIELD_LABELS or problem.field == "body" else "landlords"


def _length_problems(draft: Draft, add) -> None:
    if len(draft.title.strip()) > MAX_LENGTHS["title"]:
        add("title", N_("Le titre fait %(length)d caractères ; %(limit)d au plus sont permis",
                        length=len(draft.title.strip()), limit=MAX_LENGTHS["title"]))
    for name in ("themes", *LIST_FIELDS):
        values = draft.all_themes() if name == "themes" else draft.lines(name)
        if any(len(v) > MAX_LENGTHS["label"] for v in values):
            add(name, N_("Chaque valeur fait %(limit)d caractères au plus",
                         limit=MAX_LENGTHS["label"]))
    for i, landlord in enumerate(draft.landlords):
        if len(landlord.strip()) > MAX_LENGTHS["label"]:
            add("landlords", N_("Le nom du bailleur n° %(number)d est trop long", number=i + 1))
    for i, partner in draft.filled_partners():
        if not partner["name"]:
            add(f"partners-{i}", N_("Indiquez le nom du partenaire dont vous donnez le rôle"))
        if len(partner["name"]) > MAX_LENGTHS["label"] or len(partner["role"]) > MAX_LENGTHS["role"]:
            add(f"partners-{i}", N_("Nom ou rôle trop long (300 caractères au plus)"))
    for i, source in draft.filled_sources():
        for key, limit in (("title", "source_title"), ("url", "url"), ("publisher", "publisher")):
            if len(source.get(key, "")) > MAX_LENGTHS[limit]:
                add(f"sources-{i}", N_(SOURCE_TOO_LONG[key], limit=MAX_LENGTHS[limit]))
    if len(draft.body) > MAX_LENGTHS["body"]:
        add("body", N_("Le texte dépasse %(limit)d caractères : raccourcissez-le.",
                       limit=MAX_LENGTHS["body"]))
    if len(draft.change_note) > MAX_LENGTHS["note"]:
        add("change_note", N_("La note fait %(length)d caractères : %(limit)d au plus.",
                              length=len(draft.change_note), limit=MAX_LENGTHS["note"]))


def _contributor_problems(draft: Draft, add) -> None:
    for name in ("name", "email"):
        found = first_control(getattr(draft, name))
        if found:
            add(name, N_("Ce champ contient un caractère invisible interdit (%(character)s) ; "
                         "retirez-le", character=found))
    name_problem = contact_problems(draft.name, draft.email, name_required=True)
    for name, message in name_problem:
        add(name, message)
    if not draft.licence:
        add("licence", N_("Cochez la case de la licence : sans elle, la pratique ne peut pas "
                          "être publiée."))


def contact_problems(name: str, email: str, *, name_required: bool) -> list[tuple[str, str]]:
    """What is wrong with a contributor's name and address, as (field, message).

    Shared by sending and by saving a draft, which needs neither but checks whatever
    is given: a name is one line without any link, an address is exactly one address.
    """
    found: list[tuple[str, str]] = []
    name = name.strip()
    if not name:
        if name_required:
            found.append(("name", N_("Indiquez votre nom : il ne sera jamais publié.")))
    elif len(name) > MAX_LENGTHS["name"]:
        found.append(("name", N_("Nom trop long (200 caractères au plus)")))
    elif first_line_break(name):
        found.append(("name", N_("Votre nom doit tenir sur une ligne : retirez le retour à la "
                                 "ligne.")))
    elif URL_IN_TEXT_RE.search(name):
        found.append(("name", N_("Votre nom ne peut pas contenir d’adresse de site web : "
                                 "écrivez seulement votre prénom et votre nom.")))
    email = email.strip()
    if not email:
        if name_required:
            found.append(("email", N_("Indiquez votre adresse électronique : le lien de suivi "
                                      "vous y sera envoyé, elle ne sera jamais publiée.")))
    elif "," in email or ";" in email or first_line_break(email) or " " in email:
        found.append(("email", N_("Indiquez une seule adresse électronique, sans virgule ni "
                                  "espace.")))
    elif single_address(email) is None:
        found.append(("email", N_("Cette adresse électronique semble incomplète : écrivez-la "
                                  "comme prenom.nom@exemple.fr.")))
    return found


def resolve_inspirations(draft: Draft, titles: Mapping[str, str], add) -> list[str]:
    """Identifiers of the practices named in "Inspirée de" (by title or identifier)."""
    by_title = {label_key(title): slug for slug, title in titles.items()}
    found = []
    for given in draft.inspirations():
        slug = given if given in titles else by_title.get(label_key(given))
        if slug is None:
            add("inspired_by", N_("Aucune pratique publiée ne s’appelle « %(title)s » : choisissez "
                                  "un titre parmi ceux proposés pendant la saisie, ou effacez "
                                  "la ligne.", title=given))
        elif slug not in found:
            found.append(slug)
    return found


# Messages shown per form field; the rest are counted in one last message, so a
# field holding 28,000 wrong values costs one pass and a short page.
MAX_MESSAGES = 10


class _Errors:
    """Problems keyed by form field, each message once, at most ``MAX_MESSAGES`` a field."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}
        self._seen: set[tuple[str, str]] = set()
        self._extra: dict[str, int] = {}

    def add(self, name: str, message: str) -> None:
        # Plain strings are remembered, not the messages: a Message holds a dict, and 28,000
        # of them kept alive make every garbage collection of the process walk them.
        seen = (name, str(message))
        if seen in self._seen:
            return
        self._seen.add(seen)
        shown = self.by_field.setdefault(name, [])
        if len(shown) < MAX_MESSAGES:
            shown.append(message)
        else:
            self._extra[name] = self._extra.get(name, 0) + 1

    def result(self) -> dict[str, list[str]]:
        for name, count in self._extra.items():
            self.by_field[name].append(N_("… et %(count)d autre(s) problème(s) dans ce champ",
                                          count=count))
        return self.by_field


def check_draft(draft: Draft, *, known_slugs: Iterable[str] = (),
                titles: Mapping[str, str] | None = None,
                base: PracticeRecord | None = None, contributor: bool = True) -> Checked:
    """Check ``draft`` with the corpus rules (and the contributor's fields when asked).

    ``titles`` maps published identifiers to titles ("Inspirée de" names either);
    ``base`` is the practice being corrected: its slug, licence and date of last
    verification carry over, since the form does not show them. Linear in the
    size of the draft.
    """
    found = _Errors()
    add = found.add
    problems: list[Problem] = []
    body = drop_empty_sections(draft.body)
    stem = base.slug if base and base.slug else "contribution"
    data = draft.front_matter()
    known = dict(titles or {}) | {slug: slug for slug in known_slugs if slug not in (titles or {})}
    inspirations = resolve_inspirations(draft, known, add)
    data.pop("inspired_by", None)
    if inspirations:
        data["inspired_by"] = inspirations
    if "cities" not in data:
        data["cities"] = []  # optional, as in the files: a source may give no city
    record = practice_from_data(data, body, stem, "formulaire", problems)
    for problem in problems:
        if not problem.warning:
            add(_field_of(problem, draft), plain_message(problem) or _french(problem.message))
    _length_problems(draft, add)
    if contributor:
        _contributor_problems(draft, add)
        if base is not None and not draft.change_note.strip():
            add("change_note", N_("Dites en une phrase ce que vous avez changé et pourquoi : "
                                  "la modération le lira avant de publier."))
    errors = found.result()
    if record is None or errors:
        return Checked(None, errors)
    record = replace(record, slug=base.slug if base else "",
                     licence=base.licence if base else DEFAULT_LICENCE,
                     last_verified=base.last_verified if base else None)
    return Checked(record, {})


def error_messages(errors: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """(field, message) pairs, in the order of the form, for the summary at the top."""
    order = ["title", "summary", "themes", "landlords", "partners", "cities", "districts",
             "audiences", "status", "started", "ended", "evidence", "sources", "contact",
             "inspired_by", "body", "change_note", "name", "email", "licence"]

    def rank(name: str) -> tuple[int, int]:
        base_name, _, row = name.partition("-")
        position = order.index(base_name) if base_name in order else len(order)
        return position, int(row) if row.isdigit() else -1

    return [(name, message) for name in sorted(errors, key=rank) for message in errors[name]]
