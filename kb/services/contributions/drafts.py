"""The practice form as typed, and its checks.

A ``Draft`` holds every value exactly as typed (rows of sources, partners and
landlords included, even empty ones), so a form re-rendered after an error, a
preview or an added row loses nothing. ``check_draft`` turns it into the
mapping a corpus file's front matter would hold and runs the corpus rules on
it (``kb.corpus.practice_from_data``), so the web form and ``kb validate``
accept and refuse the same things; problems come back keyed by form field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from kb.config import DEFAULT_LICENCE
from kb.corpus import SECTIONS, PracticeRecord, Problem, practice_from_data
from kb.corpus.fields import first_control
from kb.taxonomy import label_key

SECTION_GUIDES = {
    "Contexte": "Le territoire, le problème constaté, qui a lancé la démarche et pourquoi.",
    "Objectifs": "Ce que la pratique cherche à changer, et pour qui.",
    "Mise en œuvre": "Les étapes, qui fait quoi avec qui, le calendrier.",
    "Moyens": "Personnes mobilisées, budget, financeurs, outils.",
    "Résultats": "Ce qui a été observé ou mesuré, et d'après quelle source.",
    "Points de vigilance": "Les difficultés rencontrées et les conditions de réussite.",
    "Pour essaimer": "Ce qu'il faut pour reproduire la pratique ailleurs.",
}
BODY_TEMPLATE = "".join(f"## {section}\n\n\n" for section in SECTIONS).rstrip() + "\n"
MIN_ROWS = {"landlords": 2, "partners": 2, "sources": 3}
MAX_ROWS = 30
SOURCE_FIELDS = ("title", "url", "date", "publisher")
LIST_FIELDS = ("cities", "districts", "audiences")
# Names the corpus messages use (front matter keys) -> what the form shows.
FIELD_LABELS = {
    "title": "Titre", "summary": "Résumé", "themes": "Thèmes", "landlords": "Bailleurs",
    "partners": "Partenaires", "cities": "Villes", "districts": "Quartiers",
    "audiences": "Publics", "status": "Statut", "started": "Début", "ended": "Fin",
    "evidence": "Niveau de preuve", "inspired_by": "Inspirée de", "sources": "Sources",
    "contact": "Contact", "url": "Adresse", "publisher": "Éditeur", "licence": "Licence",
}
# Column sizes of the database, checked here so PostgreSQL never refuses a row.
MAX_LENGTHS = {"title": 300, "label": 300, "role": 300, "source_title": 500, "url": 1000,
               "publisher": 300, "name": 200, "email": 320, "body": 100_000}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EMPTY_SECTION = re.compile(r"^##[^\n]*\n\s*(?=^##|\Z)", re.MULTILINE)


class FormData(Protocol):
    """What a submitted form offers (werkzeug's MultiDict does)."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n;]", text) if line.strip()]


def _pad(rows: list, minimum: int, empty: Any) -> list:
    return rows + [empty() if callable(empty) else empty for _ in range(minimum - len(rows))]


def _source_row(**values: str) -> dict[str, str]:
    return {key: values.get(key, "") for key in SOURCE_FIELDS}


@dataclass
class Draft:
    """The practice form, every value as typed."""

    title: str = ""
    summary: str = ""
    themes: list[str] = field(default_factory=list)  # registry labels ticked
    new_themes: str = ""  # one per line
    landlords: list[str] = field(default_factory=list)  # one row each
    partners: list[dict[str, str]] = field(default_factory=list)  # rows {name, role}
    cities: str = ""
    districts: str = ""
    audiences: str = ""
    status: str = ""
    started: str = ""
    ended: str = ""
    evidence: str = ""
    sources: list[dict[str, str]] = field(default_factory=list)  # rows {title, url, date, publisher}
    contact: str = ""
    inspired_by: str = ""
    body: str = BODY_TEMPLATE
    # About the contributor, not part of the practice.
    name: str = ""
    email: str = ""
    licence: bool = False
    honeypot: str = ""

    @classmethod
    def from_form(cls, form: FormData) -> Draft:
        """Read a submitted form; one more row when its "add a row" button was pressed."""
        def get(name: str) -> str:
            return _text(form.get(name, ""))

        def column(name: str) -> list[str]:
            return [_text(v) for v in form.getlist(name)][:MAX_ROWS]

        partner_names, partner_roles = column("partner_name"), column("partner_role")
        partners = [{"name": n, "role": r} for n, r in zip(partner_names, partner_roles, strict=False)]
        columns = [column(f"source_{key}") for key in SOURCE_FIELDS]
        sources = [_source_row(**dict(zip(SOURCE_FIELDS, row, strict=True)))
                   for row in zip(*columns, strict=False)]
        draft = cls(
            title=get("title"), summary=get("summary"),
            themes=[_text(v) for v in form.getlist("themes") if v.strip()],
            new_themes=get("new_themes"), landlords=column("landlord"), partners=partners,
            cities=get("cities"), districts=get("districts"), audiences=get("audiences"),
            status=get("status"), started=get("started"), ended=get("ended"),
            evidence=get("evidence"), sources=sources, contact=get("contact"),
            inspired_by=get("inspired_by"), body=get("body"),
            name=get("name"), email=get("email"), licence=bool(form.get("licence")),
            honeypot=get("website"),
        )
        draft.add_row(form.get("add_row", ""))
        return draft

    @classmethod
    def from_record(cls, record: PracticeRecord, registry_themes: Iterable[str] = ()) -> Draft:
        """The form pre-filled with a practice (corrections, amendments, moderation)."""
        registry = {label_key(label): label for label in registry_themes}
        ticked = [registry[label_key(t)] for t in record.themes if label_key(t) in registry]
        others = [t for t in record.themes if label_key(t) not in registry]
        return cls(
            title=record.title, summary=record.summary, themes=ticked,
            new_themes="\n".join(others), landlords=list(record.landlords),
            partners=[{"name": p.name, "role": p.role or ""} for p in record.partners],
            cities="\n".join(record.cities), districts="\n".join(record.districts),
            audiences="\n".join(record.audiences), status=record.status or "",
            started=record.started or "", ended=record.ended or "",
            evidence=record.evidence or "",
            sources=[_source_row(title=s.title, url=s.url or "", date=s.date or "",
                                 publisher=s.publisher or "") for s in record.sources],
            contact=record.contact or "", inspired_by=", ".join(record.inspired_by),
            body=record.body,
        )

    def add_row(self, kind: str) -> None:
        rows = {"landlords": self.landlords, "partners": self.partners, "sources": self.sources}
        if kind not in rows:
            return
        current = rows[kind]
        current[:] = _pad(current, MIN_ROWS[kind], self._empty_row(kind))
        if len(current) < MAX_ROWS:
            current.append(self._empty_row(kind)())

    @staticmethod
    def _empty_row(kind: str):
        return {"landlords": str, "partners": lambda: {"name": "", "role": ""},
                "sources": _source_row}[kind]

    def rows(self, kind: str) -> list:
        """The rows to render: those typed, then empty ones up to the minimum."""
        current = {"landlords": self.landlords, "partners": self.partners,
                   "sources": self.sources}[kind]
        return _pad(list(current), MIN_ROWS[kind], self._empty_row(kind))

    # -- what was typed, cleaned: used by the preview and by the checks --------

    def all_themes(self) -> list[str]:
        return [*self.themes, *_lines(self.new_themes)]

    def lines(self, name: str) -> list[str]:
        return _lines(getattr(self, name))

    def filled_landlords(self) -> list[str]:
        return [name.strip() for name in self.landlords if name.strip()]

    def filled_partners(self) -> list[tuple[int, dict[str, str]]]:
        return [(i, {"name": p["name"].strip(), "role": p["role"].strip()})
                for i, p in enumerate(self.partners) if p["name"].strip() or p["role"].strip()]

    def filled_sources(self) -> list[tuple[int, dict[str, str]]]:
        return [(i, {k: v.strip() for k, v in row.items() if v.strip()})
                for i, row in enumerate(self.sources) if any(v.strip() for v in row.values())]

    def inspirations(self) -> list[str]:
        return [s.strip() for s in re.split(r"[\s,;]+", self.inspired_by) if s.strip()]

    def front_matter(self) -> dict[str, Any]:
        """The mapping a corpus file would hold; what was left empty is absent."""
        data: dict[str, Any] = {
            "title": self.title.strip(), "summary": self.summary.strip(),
            "themes": self.all_themes(), "landlords": self.filled_landlords(),
            "partners": [{"name": p["name"], "role": p["role"] or None}
                         for _, p in self.filled_partners() if p["name"]],
            "cities": self.lines("cities"), "districts": self.lines("districts"),
            "audiences": self.lines("audiences"), "status": self.status.strip(),
            "started": self.started.strip(), "ended": self.ended.strip(),
            "evidence": self.evidence.strip(), "sources": [s for _, s in self.filled_sources()],
            "contact": self.contact.strip(), "inspired_by": self.inspirations(),
        }
        return {key: value for key, value in data.items() if value not in ("", [])}


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
        add("title", f"Le titre fait {len(draft.title.strip())} caractères ; "
                     f"{MAX_LENGTHS['title']} au plus sont permis")
    for name in ("themes", *LIST_FIELDS):
        values = draft.all_themes() if name == "themes" else draft.lines(name)
        if any(len(v) > MAX_LENGTHS["label"] for v in values):
            add(name, f"Chaque valeur fait {MAX_LENGTHS['label']} caractères au plus")
    for i, landlord in enumerate(draft.landlords):
        if len(landlord.strip()) > MAX_LENGTHS["label"]:
            add("landlords", f"Le nom du bailleur n° {i + 1} est trop long")
    for i, partner in draft.filled_partners():
        if not partner["name"]:
            add(f"partners-{i}", "Indiquez le nom du partenaire dont vous donnez le rôle")
        if len(partner["name"]) > MAX_LENGTHS["label"] or len(partner["role"]) > MAX_LENGTHS["role"]:
            add(f"partners-{i}", "Nom ou rôle trop long (300 caractères au plus)")
    for i, source in draft.filled_sources():
        for key, limit in (("title", "source_title"), ("url", "url"), ("publisher", "publisher")):
            if len(source.get(key, "")) > MAX_LENGTHS[limit]:
                add(f"sources-{i}", f"« {FIELD_LABELS.get(key, key)} » : "
                                    f"{MAX_LENGTHS[limit]} caractères au plus")
    if len(draft.body) > MAX_LENGTHS["body"]:
        add("body", f"Le texte dépasse {MAX_LENGTHS['body']} caractères")


def _contributor_problems(draft: Draft, add) -> None:
    for name in ("name", "email"):
        found = first_control(getattr(draft, name))
        if found:
            add(name, f"Ce champ contient un caractère invisible interdit ({found}) ; retirez-le")
    if not draft.name.strip():
        add("name", "Indiquez votre nom (il ne sera jamais publié)")
    elif len(draft.name.strip()) > MAX_LENGTHS["name"]:
        add("name", "Nom trop long (200 caractères au plus)")
    email = draft.email.strip()
    if not email:
        add("email", "Indiquez votre adresse électronique (elle ne sera jamais publiée)")
    elif not EMAIL_RE.match(email) or len(email) > MAX_LENGTHS["email"]:
        add("email", "Adresse électronique invalide (exemple : prenom.nom@exemple.fr)")
    if not draft.licence:
        add("licence", "Acceptez la licence pour proposer la pratique")


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
        if (name, message) in self._seen:
            return
        self._seen.add((name, message))
        shown = self.by_field.setdefault(name, [])
        if len(shown) < MAX_MESSAGES:
            shown.append(message)
        else:
            self._extra[name] = self._extra.get(name, 0) + 1

    def result(self) -> dict[str, list[str]]:
        for name, count in self._extra.items():
            self.by_field[name].append(f"… et {count} autre(s) problème(s) dans ce champ")
        return self.by_field


def check_draft(draft: Draft, *, known_slugs: Iterable[str] = (),
                base: PracticeRecord | None = None, contributor: bool = True) -> Checked:
    """Check ``draft`` with the corpus rules (and the contributor's fields when asked).

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
    if base is not None and not base.cities and "cities" not in data:
        data["cities"] = []  # no source gives the city: a warning in the corpus, not an error
    record = practice_from_data(data, body, stem, "formulaire", problems)
    badly_formed = set()
    for problem in problems:
        if not problem.warning:
            add(_field_of(problem, draft), _french(problem.message))
            if problem.field == "inspired_by":
                badly_formed.add(problem.index)
    known = set(known_slugs)
    for index, slug in enumerate(draft.inspirations()):
        if slug not in known and index not in badly_formed:
            add("inspired_by", f"« {slug} » n'est pas l'identifiant d'une pratique publiée")
    _length_problems(draft, add)
    if contributor:
        _contributor_problems(draft, add)
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
             "inspired_by", "body", "name", "email", "licence"]

    def rank(name: str) -> tuple[int, int]:
        base_name, _, row = name.partition("-")
        position = order.index(base_name) if base_name in order else len(order)
        return position, int(row) if row.isdigit() else -1

    return [(name, message) for name in sorted(errors, key=rank) for message in errors[name]]
