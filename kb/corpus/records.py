"""Plain records of the corpus files: no Flask, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb.config import DEFAULT_LICENCE

if TYPE_CHECKING:
    from kb.corpus.glossary import GlossaryRecord
    from kb.corpus.thesaurus import ThesaurusRecord

SECTIONS = (
    "Contexte",
    "Objectifs",
    "Mise en œuvre",
    "Moyens",
    "Résultats",
    "Points de vigilance",
    "Pour essaimer",
)

PRACTICE_KEYS = (
    "slug", "title", "summary", "themes", "landlords", "partners", "cities", "districts",
    "audiences", "status", "started", "ended", "evidence", "inspired_by", "sources",
    "contact", "licence", "last_verified",
)
EVENT_KEYS = (
    "slug", "title", "date", "end_date", "organisers", "place", "themes", "summary",
    "practices", "sources",
)
SOURCE_KEYS = ("title", "url", "date", "publisher")
ORGANISATION_KEYS = ("name", "kind", "aliases", "website")
THEME_KEYS = ("label", "description", "label_en")
AUDIENCE_KEYS = ("label", "label_en")
SUMMARY_MAX = 500


@dataclass(frozen=True)
class PartnerRef:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class SourceRef:
    title: str
    url: str | None = None
    date: str | None = None
    publisher: str | None = None


@dataclass
class PracticeRecord:
    slug: str
    title: str
    summary: str
    themes: list[str]
    cities: list[str]
    landlords: list[str] = field(default_factory=list)
    partners: list[PartnerRef] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    status: str | None = None
    started: str | None = None
    ended: str | None = None
    evidence: str | None = None
    inspired_by: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    contact: str | None = None
    licence: str = DEFAULT_LICENCE
    last_verified: dt.date | None = None
    body: str = ""
    # True when the file said ``slug:`` itself, so export keeps saying it.
    explicit_slug: bool = False


@dataclass
class EventRecord:
    slug: str
    title: str
    date: dt.date
    end_date: dt.date | None = None
    organisers: list[str] = field(default_factory=list)
    place: str | None = None
    themes: list[str] = field(default_factory=list)
    summary: str | None = None
    practices: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    body: str = ""
    explicit_slug: bool = False


@dataclass
class OrganisationRecord:
    name: str
    kind: str = "autre"
    aliases: list[str] = field(default_factory=list)
    website: str | None = None


@dataclass
class ThemeRecord:
    label: str
    description: str | None = None
    # Shown on the English site; the French label stays the value in files and the API.
    label_en: str | None = None


@dataclass
class AudienceRecord:
    """An audience of the registry (``_audiences.yaml``): audiences stay open, a practice may
    name others, but those of the registry are offered in the form and translated."""

    label: str
    # Shown on the English site; the French label stays the value in files and the API.
    label_en: str | None = None


@dataclass
class Problem:
    """One validation problem: where, which field, and what was expected."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    # A warning is shown but does not reject the file.
    warning: bool = False
    # Position of the list item concerned (a source, a partner), when there is one.
    index: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f" [{self.field}]" if self.field else ""
        level = " avertissement :" if self.warning else ""
        return f"{where}:{what}{level} {self.message}"


@dataclass
class Corpus:
    """Everything read from one folder, with the problems found."""

    practices: list[PracticeRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    organisations: list[OrganisationRecord] = field(default_factory=list)
    themes: list[ThemeRecord] = field(default_factory=list)
    audiences: list[AudienceRecord] = field(default_factory=list)
    glossary: list[GlossaryRecord] = field(default_factory=list)
    thesaurus: list[ThesaurusRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # slug -> path of the file it came from
    paths: dict[str, str] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]
