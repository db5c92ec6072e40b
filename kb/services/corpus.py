"""Use cases over corpus folders: validate, import, export."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from kb import storage
from kb.corpus import (
    AUDIENCES_FILE,
    EVENTS_DIR,
    ORGANISATIONS_FILE,
    THEMES_FILE,
    Corpus,
    PracticeRecord,
    Problem,
    dump_audiences,
    dump_event,
    dump_organisations,
    dump_practice,
    dump_themes,
    load_corpus,
)
from kb.corpus.glossary import GLOSSARY_FILE, dump_glossary
from kb.corpus.thesaurus import THESAURUS_FILE, dump_thesaurus
from kb.models import Practice

Progress = Callable[[int], None]
BATCH = 500


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    # slugs whose published version changed, for the search index
    changed: list[str] = field(default_factory=list)
    # outcomes of the rendez-vous alone; the totals above count them with the practices
    event_outcomes: Counter[str] = field(default_factory=Counter)

    def practices(self, outcome: str) -> int:
        """How many practices were ``created``, ``updated`` or left ``unchanged``."""
        return getattr(self, outcome) - self.event_outcomes[outcome]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


def _cross_check(corpus: Corpus, known_practices: set[str]) -> None:
    """References to practices must name one in the folder or already in kb."""
    slugs = known_practices | {p.slug for p in corpus.practices}
    for record in corpus.practices:
        for target in record.inspired_by:
            if target not in slugs:
                corpus.problems.append(Problem(corpus.paths[f"practice:{record.slug}"],
                                               f"« inspired_by » : pratique inconnue « {target} »",
                                               None, "inspired_by"))
    for event in corpus.events:
        for target in event.practices:
            if target not in slugs:
                corpus.problems.append(Problem(corpus.paths[f"event:{event.slug}"],
                                               f"« practices » : pratique inconnue « {target} »",
                                               None, "practices"))


def validate_folder(session: Session | None, folder: Path) -> Corpus:
    """Read and check ``folder``; every problem is in the returned corpus."""
    corpus = load_corpus(folder)
    known = storage.all_slugs(session, Practice) if session is not None else set()
    _cross_check(corpus, known)
    return corpus


def import_folder(session: Session, folder: Path, progress: Progress | None = None,
                  corpus: Corpus | None = None) -> ImportReport:
    """Load ``folder`` into the database: registries first, then practices and rendez-vous.

    Files with problems are rejected and reported; the others are imported.
    Idempotent: an unchanged file changes nothing.
    """
    corpus = corpus or validate_folder(session, folder)
    report = ImportReport(problems=list(corpus.problems))
    bad_files = {p.path for p in corpus.errors}
    report.rejected = len(corpus.rejected | (bad_files & set(corpus.paths.values())))
    resolver = storage.Resolver(session)
    for org in corpus.organisations:
        resolver.register_organisation(org)
    for theme in corpus.themes:
        resolver.register_theme(theme)
    for audience in corpus.audiences:
        resolver.register_audience(audience)
    for term in corpus.glossary:
        storage.save_glossary_term(session, term)
    for group in corpus.thesaurus:
        storage.save_thesaurus_group(session, group)
    existing = storage.practices_by_slug(session)
    fresh: list[PracticeRecord] = []
    with session.no_autoflush:  # one flush per batch, not one per lazy load
        for record in corpus.practices:
            if corpus.paths[f"practice:{record.slug}"] in bad_files:
                continue
            if record.slug not in existing:
                fresh.append(record)
                if len(fresh) == BATCH:
                    _create(session, resolver, fresh, report, progress)
                continue
            outcome = storage.save_practice(session, resolver, record, existing[record.slug])
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome != "unchanged":
                report.changed.append(record.slug)
            if progress:
                progress(1)
        _create(session, resolver, fresh, report, progress)
    events = {e.slug: e for e in storage.find_events(session)}
    for record in corpus.events:
        if corpus.paths[f"event:{record.slug}"] in bad_files:
            continue
        outcome = storage.save_event(session, resolver, record, events.get(record.slug))
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.event_outcomes[outcome] += 1
        if progress:
            progress(1)
    session.flush()
    # A label respelt by a registry or a better-written file shows on other practices too.
    already = set(report.changed)
    report.changed.extend(sorted(resolver.relabelled_practices() - already))
    if report.created or report.updated:
        _refresh_statistics(session)
    return report


def _refresh_statistics(session: Session) -> None:
    """Give SQLite's planner the statistics it lacks after a bulk import.

    Without them it picks the index on ``published`` (one value for nearly every
    row) over the unique slug index, and a lookup of 10 slugs walks every
    practice. PostgreSQL's autovacuum keeps its own statistics.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("ANALYZE"))


def _create(session: Session, resolver: storage.Resolver, records: list[PracticeRecord],
            report: ImportReport, progress: Progress | None) -> None:
    storage.create_practices(session, resolver, records)
    report.created += len(records)
    report.changed.extend(r.slug for r in records)
    if progress:
        progress(len(records))
    records.clear()


def export_folder(session: Session, folder: Path, progress: Progress | None = None) -> int:
    """Write every published practice, rendez-vous and the registries to ``folder``."""
    (folder / EVENTS_DIR).mkdir(parents=True, exist_ok=True)
    count = 0
    for practice in storage.find_practices(session):
        _write(folder / f"{practice.slug}.md", dump_practice(storage.practice_record(practice)))
        count += 1
        if progress:
            progress(1)
    for event in storage.find_events(session):
        _write(folder / EVENTS_DIR / f"{event.slug}.md", dump_event(storage.event_record(event)))
        count += 1
    _write(folder / ORGANISATIONS_FILE, dump_organisations(storage.registry_organisations(session)))
    _write(folder / THEMES_FILE, dump_themes(storage.registry_themes(session)))
    _write(folder / AUDIENCES_FILE, dump_audiences(storage.registry_audiences(session)))
    _write(folder / GLOSSARY_FILE, dump_glossary(storage.registry_glossary(session)))
    _write(folder / THESAURUS_FILE, dump_thesaurus(storage.registry_thesaurus(session)))
    return count


def _write(path: Path, text: str) -> None:
    # Write-then-rename, so an interrupted export never leaves half a file.
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.glob("*.md") if not p.name.startswith(("_", "."))) + sum(
        1 for _ in folder.glob(f"{EVENTS_DIR}/*.md"))


__all__ = ["ImportReport", "count_files", "export_folder", "import_folder", "validate_folder"]
