"""Read a corpus folder: practices, rendez-vous and registries.

Layout of a folder:
  <slug>.md                 one practice per file
  rendez-vous/<slug>.md     one rendez-vous per file
  _organisations.yaml       the organisation registry (optional)
  _themes.yaml              the theme registry (optional)
  _audiences.yaml           the audience registry (optional, kb.corpus.audiences)
  _glossaire.yaml           the glossary of acronyms (optional, kb.corpus.glossary)
  _thesaurus.yaml           the field's synonyms (optional, kb.corpus.thesaurus)
Every problem of every file is collected; a file with a problem is rejected,
the others are kept. The registries are read by ``kb.corpus.registries``.

Files are data: a file whose resolved path lies outside the folder (a symbolic
link to elsewhere) and anything that is not a regular file (a named pipe, which
would block the reader, a device, a socket, a folder) are refused, named, before
anything is opened.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Callable
from functools import partial
from pathlib import Path

from kb.corpus import fields
from kb.corpus.audiences import AUDIENCES_FILE, load_audiences
from kb.corpus.frontmatter import FrontMatter, split
from kb.corpus.glossary import GLOSSARY_FILE, load_glossary
from kb.corpus.records import (
    EVENT_KEYS,
    PRACTICE_KEYS,
    SECTIONS,
    SUMMARY_MAX,
    Corpus,
    EventRecord,
    PartnerRef,
    PracticeRecord,
    Problem,
)
from kb.corpus.registries import (
    ORGANISATIONS_FILE,
    THEMES_FILE,
    load_organisations,
    load_themes,
    read_file,
)
from kb.corpus.thesaurus import THESAURUS_FILE, load_thesaurus
from kb.forked import map_in_two
from kb.taxonomy import cities_with_arrondissements, clean_label, is_slug, label_key
from kb.vocabulary import EVIDENCE_LEVELS, PRACTICE_STATUSES

EVENTS_DIR = "rendez-vous"
# One maximum for a body at every door: the contribution form's (the size of the
# column, kb.services.contributions.limits.MAX_LENGTHS["body"]; a test holds them equal).
# Past it a sheet's PDF, its snippets and its page would cost without bound.
BODY_MAX = 100_000
_HEADING = re.compile(r"^##(?!#)\s*(.+?)\s*#*\s*$")
_SECTION_KEYS = {label_key(s): i for i, s in enumerate(SECTIONS)}


def _slug(check: fields.FieldChecker, stem: str) -> tuple[str | None, bool]:
    given = check.fm.data.get("slug")
    if given is None:
        if is_slug(stem):
            return stem, False
        check.problem(None, f"le nom de fichier « {stem} » n'est pas un identifiant valide "
                      "(minuscules ASCII, chiffres et tirets) ; renommez-le ou ajoutez « slug: »")
        return None, False
    if not isinstance(given, str) or not is_slug(given):
        check.problem("slug", f"« slug » vaut « {given} » ; minuscules ASCII, chiffres et tirets "
                      "attendus")
        return None, True
    return given, True


def _check_body_size(check: fields.FieldChecker, fm: FrontMatter) -> bool:
    """False (with a problem naming the file) when the body is past ``BODY_MAX``."""
    if len(fm.body) <= BODY_MAX:
        return True
    def number(n: int) -> str:
        return f"{n:,}".replace(",", "\u202f")  # French digit groups

    check.problems.append(Problem(check.path, (
        f"le texte de la fiche fait {number(len(fm.body))} caractères, plus que le maximum de "
        f"{number(BODY_MAX)} (celui du formulaire de contribution) : raccourcissez-le ou "
        "scindez la pratique en plusieurs fiches"), fm.body_line, "body"))
    return False


def _check_sections(check: fields.FieldChecker, fm: FrontMatter) -> None:
    last = -1
    in_code = False
    for offset, line in enumerate(fm.body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if not match:
            continue
        lineno = fm.body_line + offset
        index = _SECTION_KEYS.get(label_key(match.group(1)))
        if index is None:
            check.problems.append(Problem(check.path, f"section « ## {match.group(1)} » inconnue ; "
                                          f"sections permises, dans cet ordre : {', '.join(SECTIONS)}",
                                          lineno, "body"))
        elif index <= last:
            check.problems.append(Problem(check.path, f"section « ## {match.group(1)} » hors "
                                          f"d'ordre ; ordre attendu : {', '.join(SECTIONS)}",
                                          lineno, "body"))
        else:
            last = index


def _partners(check: fields.FieldChecker) -> list[PartnerRef]:
    result = []
    for index, item in enumerate(check.items("partners", False)):
        if isinstance(item, str) and item.strip():
            result.append(PartnerRef(clean_label(item)))
        elif isinstance(item, dict) and set(item) <= {"name", "role"} and isinstance(
            item.get("name"), str
        ) and item["name"].strip() and (item.get("role") is None or isinstance(item["role"], str)):
            role = item.get("role")
            result.append(PartnerRef(clean_label(item["name"]), role.strip() if role else None))
        else:
            check.problem("partners", "chaque partenaire est un nom, ou un bloc {name, role}",
                          index)
    return result


def load_practice(text: str, stem: str, shown: str, problems: list[Problem]) -> PracticeRecord | None:
    """Parse one practice file; append its problems; None when it has any."""
    fm = split(text, shown)
    if isinstance(fm, Problem):
        problems.append(fm)
        return None
    return check_practice(fm, stem, shown, problems)


def practice_from_data(data: dict, body: str, stem: str, shown: str,
                       problems: list[Problem]) -> PracticeRecord | None:
    """Check a practice given as a mapping (a web form) with the rules of a file."""
    return check_practice(FrontMatter(dict(data), body, 1), stem, shown, problems)


def check_practice(fm: FrontMatter, stem: str, shown: str,
                   problems: list[Problem]) -> PracticeRecord | None:
    """Build the record of parsed front matter; append its problems; None when it has any."""
    check = fields.FieldChecker(shown, fm, problems)
    before = check.error_count()
    check.control_characters()
    check.unknown_keys(PRACTICE_KEYS)
    slug, explicit = _slug(check, stem)
    record = PracticeRecord(
        slug=slug or "",
        explicit_slug=explicit,
        title=check.text("title", required=True) or "",
        summary=check.text("summary", required=True, max_len=SUMMARY_MAX) or "",
        themes=check.labels("themes", required=True),
        landlords=check.labels("landlords"),
        partners=_partners(check),
        cities=check.labels("cities", required=True, unknown_ok=True),
        districts=check.labels("districts"),
        audiences=check.labels("audiences"),
        status=check.choice("status", PRACTICE_STATUSES),
        started=check.year_or_date("started"),
        ended=check.year_or_date("ended"),
        evidence=check.choice("evidence", EVIDENCE_LEVELS),
        inspired_by=check.slugs("inspired_by"),
        sources=check.sources(),
        contact=check.text("contact", max_len=300),
        last_verified=check.date("last_verified"),
        body=fm.body,
    )
    licence = check.text("licence", max_len=200)
    if licence:
        record.licence = licence
    # "Lyon 8e" is Lyon, 8e arrondissement: one city for the filters, at every door.
    record.cities, record.districts = cities_with_arrondissements(record.cities, record.districts)
    if not record.landlords and not record.partners and "landlords" not in fm.data \
            and "partners" not in fm.data:
        check.problem(None, "ni bailleur (« landlords ») ni partenaire (« partners ») : "
                      "au moins un des deux est obligatoire")
    elif not record.landlords and not record.partners:
        check.problem("landlords", "ni bailleur ni partenaire : au moins un des deux est obligatoire")
    if record.started and record.ended and record.ended[:4] < record.started[:4]:
        check.problem("ended", f"« ended » ({record.ended}) précède « started » ({record.started})")
    if slug and slug in record.inspired_by:
        check.problem("inspired_by", "une pratique ne peut pas s'inspirer d'elle-même")
    if _check_body_size(check, fm):
        _check_sections(check, fm)
    return record if check.error_count() == before else None


def load_event(text: str, stem: str, shown: str, problems: list[Problem]) -> EventRecord | None:
    """Parse one rendez-vous file; append its problems; None when it has any."""
    fm = split(text, shown)
    if isinstance(fm, Problem):
        problems.append(fm)
        return None
    check = fields.FieldChecker(shown, fm, problems)
    before = check.error_count()
    check.control_characters()
    check.unknown_keys(EVENT_KEYS)
    slug, explicit = _slug(check, stem)
    record = EventRecord(
        slug=slug or "",
        explicit_slug=explicit,
        title=check.text("title", required=True) or "",
        date=check.date("date", required=True) or dt.date.min,
        end_date=check.date("end_date"),
        organisers=check.labels("organisers"),
        place=check.text("place", max_len=300),
        themes=check.labels("themes"),
        summary=check.text("summary", max_len=SUMMARY_MAX),
        practices=check.slugs("practices"),
        sources=check.sources(),
        body=fm.body,
    )
    if record.end_date and record.end_date < record.date:
        check.problem("end_date", "« end_date » précède « date »")
    _check_body_size(check, fm)
    return record if check.error_count() == before else None


# From this many files, the second half is parsed by a forked process (``kb.forked``):
# YAML takes a quarter of a millisecond per file.
PARALLEL_FROM = 2000


def _parse(loader: Callable, path: Path) -> tuple[str, PracticeRecord | EventRecord | None,
                                                  list[Problem]]:
    """One file read and checked: its name as shown, its record (None if rejected)
    and its problems."""
    shown = str(path)
    problems: list[Problem] = []
    text = read_file(path, shown, problems)
    record = None if text is None else loader(text, path.stem, shown, problems)
    return shown, record, problems


_KINDS = ((stat.S_ISFIFO, "un tube nommé (FIFO)"), (stat.S_ISCHR, "un périphérique"),
          (stat.S_ISBLK, "un périphérique"), (stat.S_ISSOCK, "une socket"),
          (stat.S_ISDIR, "un dossier"))


def not_data(path: Path, root: Path) -> str | None:
    """Why ``path`` may not be read as a file of the folder ``root`` (resolved), or None."""
    try:
        resolved = path.resolve(strict=True)
        mode = os.stat(resolved).st_mode
    except (OSError, RuntimeError):  # a dangling link, or a loop of links
        return "lien symbolique cassé ou en boucle : refusé"
    if not resolved.is_relative_to(root):
        return (f"ce fichier se trouve hors du dossier du corpus ({resolved}, par un lien "
                "symbolique) : refusé ; copiez-le dans le dossier s’il doit en faire partie")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "un fichier spécial")
        return f"ce n’est pas un fichier ordinaire mais {kind} : refusé"
    return None


def load_corpus(folder: Path) -> Corpus:
    """Read every file of ``folder``; every problem of every file is in ``problems``."""
    corpus = Corpus()
    if not folder.is_dir():
        corpus.problems.append(Problem(str(folder), "dossier introuvable"))
        return corpus
    root = folder.resolve()

    def admitted(path: Path) -> bool:
        reason = not_data(path, root)
        if reason is not None:
            corpus.problems.append(Problem(str(path), reason))
            corpus.rejected.add(str(path))
        return reason is None

    def registry(name: str) -> bool:
        path = folder / name
        return os.path.lexists(path) and admitted(path)

    if registry(ORGANISATIONS_FILE):
        corpus.organisations = load_organisations(
            folder / ORGANISATIONS_FILE, str(folder / ORGANISATIONS_FILE), corpus.problems)
    if registry(THEMES_FILE):
        corpus.themes = load_themes(folder / THEMES_FILE, str(folder / THEMES_FILE),
                                    corpus.problems)
    if registry(AUDIENCES_FILE):
        corpus.audiences = load_audiences(folder / AUDIENCES_FILE, str(folder / AUDIENCES_FILE),
                                          corpus.problems)
    if registry(GLOSSARY_FILE):
        corpus.glossary = load_glossary(folder / GLOSSARY_FILE, str(folder / GLOSSARY_FILE),
                                        corpus.problems)
    if (folder / THESAURUS_FILE).is_file():
        corpus.thesaurus = load_thesaurus(folder / THESAURUS_FILE, str(folder / THESAURUS_FILE),
                                          corpus.problems)
    for kind, pattern, loader, target in (
        ("practice", "*.md", load_practice, corpus.practices),
        ("event", f"{EVENTS_DIR}/*.md", load_event, corpus.events),
    ):
        seen: dict[str, str] = {}
        paths = [path for path in sorted(folder.glob(pattern))
                 if not (path.name.startswith(("_", ".")) or path.name.lower() == "readme.md")
                 and admitted(path)]
        for shown, record, problems in map_in_two(partial(_parse, loader), paths, PARALLEL_FROM):
            corpus.problems.extend(problems)
            if record is None:
                corpus.rejected.add(shown)
                continue
            if record.slug in seen:
                corpus.problems.append(Problem(shown, f"identifiant « {record.slug} » déjà pris "
                                               f"par {seen[record.slug]}", 1, "slug"))
                corpus.rejected.add(shown)
                continue
            seen[record.slug] = shown
            corpus.paths[f"{kind}:{record.slug}"] = shown
            target.append(record)
    return corpus
