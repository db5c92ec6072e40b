"""Spreadsheets in: each row of a .csv or .xlsx file becomes a contribution in the moderation queue.

The header (row 1) names the columns by the Table Schema's field names or its
French titles (``kb.services.reuse.schema``). Each row is checked with the
rules of a practice file (``kb.corpus.practice_from_data``); a valid row is
queued, never published; a refused row is reported with its row number as the
spreadsheet shows it, its column and the reason, in French. A queued row's note
says which file and row it came from and holds a fingerprint of its content, so
the same file imported twice queues nothing new. Imported rows carry no
contributor: the person importing them is not their author.

Hostile files are refused within bounds: size, rows, columns, cell length,
the uncompressed size and ratio of an .xlsx archive (a zip bomb), macros
(.xlsm, vbaProject.bin), formulas, and text that is not UTF-8.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.corpus import practice_from_data
from kb.corpus.records import Problem
from kb.models import Contribution
from kb.services.contributions.submissions import record_to_json, submit
from kb.services.reuse.schema import fields as schema_fields
from kb.taxonomy import label_key, slugify

MAX_BYTES = 5_000_000
MAX_ROWS = 2_000
MAX_COLUMNS = 40
MAX_CELL = 20_000
MAX_UNZIPPED = 50_000_000  # all the members of an .xlsx together
MAX_RATIO = 100  # uncompressed / compressed, per member
# Columns of the schema -> keys of a practice file; the others (slug, url) are not read.
KEYS = {"titre": "title", "résumé": "summary", "thèmes": "themes", "bailleurs": "landlords",
        "partenaires": "partners", "villes": "cities", "quartiers": "districts", "statut": "status",
        "début": "started", "fin": "ended", "niveau de preuve": "evidence"}
LISTS = {"themes", "landlords", "partners", "cities", "districts"}
# What the corpus rules require of a practice (kb.corpus.load.check_practice), said in the template.
REQUIRED = ("titre", "résumé", "thèmes", "villes")
EXAMPLE_TITLE = "EXEMPLE (ligne ignorée à l’import) : médiation de voisinage en soirée"
EXAMPLE = {"titre": EXAMPLE_TITLE, "résumé": "Ligne inventée qui montre la forme attendue ; elle ne "
           "décrit aucune pratique réelle.", "thèmes": "Tranquillité résidentielle | Lien social",
           "bailleurs": "Office Exemple Habitat", "partenaires": "Association Exemple",
           "villes": "Exempleville", "quartiers": "", "statut": "en cours", "début": "2021-09",
           "fin": "", "niveau de preuve": "émergente"}


class SheetError(ValueError):
    """The whole file is refused (message in French)."""


@dataclass(frozen=True)
class Refusal:
    row: int  # as the spreadsheet shows it: the header is row 1
    column: str
    reason: str


@dataclass
class ImportReport:
    queued: list[int] = field(default_factory=list)  # row numbers
    already: list[int] = field(default_factory=list)  # imported before: nothing new
    refused: list[Refusal] = field(default_factory=list)
    examples: list[int] = field(default_factory=list)  # the template's example row, skipped


def _column_names() -> dict[str, str]:
    """label key of a field name or title -> field name."""
    names = {}
    for f in schema_fields():
        names[label_key(f["name"])] = f["name"]
        names[label_key(f["title"])] = f["name"]
    return names


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetError("le fichier n'est pas en UTF-8 (enregistrez-le en « CSV UTF-8 »), "
                         f"octet illisible à la position {error.start}") from error
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def _check_archive(path: Path) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise SheetError("ce fichier .xlsx n'est pas un classeur lisible") from error
    with archive:
        members = archive.infolist()
        if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
            raise SheetError("le classeur contient des macros : enregistrez-le sans macros (.xlsx)")
        if sum(m.file_size for m in members) > MAX_UNZIPPED:
            raise SheetError("le classeur décompressé est trop gros (plus de 50 Mo)")
        for member in members:
            if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
                raise SheetError("le classeur est anormalement compressé : il est refusé")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path) -> list[list[str]]:
    _check_archive(path)
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
            if number > MAX_ROWS + 1:
                raise SheetError(f"plus de {MAX_ROWS} lignes : coupez le fichier en plusieurs")
            cells = []
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    cells.append(_FormulaCell("="))
                else:
                    cells.append(_cell(cell.value))
            rows.append(cells)
        return rows
    finally:
        workbook.close()


class _FormulaCell(str):
    """A cell holding a formula: refused (its value is not what the sheet shows)."""


def read_sheet(path: Path) -> list[list[str]]:
    """The rows of the file's first sheet, header first, every cell as text."""
    suffix = path.suffix.lower()
    if suffix == ".xlsm":
        raise SheetError("les classeurs à macros (.xlsm) sont refusés : enregistrez-le en .xlsx")
    if suffix not in (".csv", ".xlsx"):
        raise SheetError("format non pris en charge : .csv (séparateur virgule ou point-virgule) "
                         "ou .xlsx")
    if path.stat().st_size > MAX_BYTES:
        raise SheetError("le fichier dépasse 5 Mo")
    rows = _csv_rows(path.read_bytes()) if suffix == ".csv" else _xlsx_rows(path)
    if len(rows) > MAX_ROWS + 1:
        raise SheetError(f"plus de {MAX_ROWS} lignes : coupez le fichier en plusieurs")
    if not rows:
        raise SheetError("le fichier est vide")
    return rows


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", "|").split("|") if part.strip()]


def _header(row: list[str]) -> list[str | None]:
    names = _column_names()
    header = [names.get(label_key(cell or "")) for cell in row]
    if "titre" not in header:
        raise SheetError("la ligne 1 doit nommer les colonnes (au moins « titre ») avec les noms du "
                         "schéma /schema/pratiques.json")
    return header


def _row_data(cells: list[str], header: list[str | None], number: int,
              refused: list[Refusal]) -> dict[str, object] | None:
    data: dict[str, object] = {}
    for name, value in zip(header, cells, strict=False):
        if name is None or name not in KEYS:
            continue
        if isinstance(value, _FormulaCell):
            refused.append(Refusal(number, name, "la cellule contient une formule : collez sa valeur"))
            return None
        if len(value) > MAX_CELL:
            refused.append(Refusal(number, name, f"la cellule dépasse {MAX_CELL} caractères"))
            return None
        value = value.strip()
        if value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
            value = value[1:]  # the export's formula guard, taken off again
        if not value:
            continue
        key = KEYS[name]
        data[key] = _split(value) if key in LISTS else value
    return data


def _title_of(key: str | None) -> str:
    reverse = {v: k for k, v in KEYS.items()}
    return reverse.get(key or "", key or "")


def _refusal(number: int, problem: Problem) -> Refusal:
    """The corpus rule's message, naming the spreadsheet's columns rather than the file's keys."""
    message = problem.message
    for column, key in KEYS.items():
        message = message.replace(f"« {key} »", f"« {column} »")
    return Refusal(number, _title_of(problem.field) if problem.field else "bailleurs, partenaires"
                   if "bailleur" in message else "—", message)


def import_sheet(session: Session, path: Path) -> ImportReport:
    """Queue every valid row of ``path`` as a contribution; report the others."""
    rows = read_sheet(path)
    header = _header(rows[0])
    report = ImportReport()
    for number, cells in enumerate(rows[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue  # an empty row is no practice
        data = _row_data(cells, header, number, report.refused)
        if data is None:
            continue
        if data.get("title") == EXAMPLE_TITLE:
            report.examples.append(number)
            continue
        problems: list[Problem] = []
        title = str(data.get("title", ""))
        record = practice_from_data(data, "", slugify(title) or "ligne", f"ligne {number}", problems)
        errors = [p for p in problems if not p.warning]
        if record is None or errors:
            report.refused += [_refusal(number, p) for p in errors]
            continue
        fingerprint = hashlib.sha256(record_to_json(record).encode("utf-8")).hexdigest()[:20]
        if session.scalar(select(Contribution.id).where(Contribution.note.contains(fingerprint))):
            report.already.append(number)
            continue
        note = f"Importée du fichier {path.name}, ligne {number} (empreinte {fingerprint})."
        contribution, _token = submit(session, record, name="", email="", note=note)
        contribution.contributor_name = contribution.contributor_email = None
        report.queued.append(number)
    return report


def template_workbook() -> bytes:
    """The spreadsheet to fill in: the importable columns, one example row, a sheet per column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Pratiques"
    described = {f["name"]: f for f in schema_fields()}
    columns = [c for c in described if c in KEYS]
    sheet.append([described[c]["title"] for c in columns])
    sheet.append([EXAMPLE[c] for c in columns])
    help_sheet = book.create_sheet("Colonnes")
    help_sheet.append(["Colonne", "Obligatoire", "Description", "Valeurs permises"])
    for name in columns:
        f = described[name]
        required = "oui" if name in REQUIRED else (
            "au moins l’une des deux" if name in ("bailleurs", "partenaires") else "non")
        allowed = ", ".join(f.get("constraints", {}).get("enum", []))
        help_sheet.append([f["title"], required, f["description"], allowed])
    help_sheet.append([])
    help_sheet.append(["La ligne 2 de la feuille « Pratiques » est un exemple : l’import l’ignore. "
                       "Chaque ligne importée attend la relecture d’un modérateur avant publication."])
    for row in (*sheet.iter_rows(), *help_sheet.iter_rows()):
        for cell in row:
            cell.data_type = "s" if cell.value is not None else cell.data_type
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
