"""kb import-sheet: spreadsheet rows into the moderation queue, refused rows reported, bad files refused."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from kb.models import Contribution, Practice
from kb.services.contributions.submissions import contribution_record

HEADER = "titre;résumé;thèmes;bailleurs;villes;statut;début\n"
GOOD = "Atelier synthétique importé;Résumé inventé pour le test.;Insertion et emploi | Lien social;" \
       "Office Test Habitat;Rouen;en cours;2021-03\n"
BAD = ";Sans titre (synthétique);Insertion et emploi;Office Test Habitat;Rouen;;\n" \
      "Autre atelier synthétique;Résumé inventé.;Insertion et emploi;Office Test Habitat;Rouen;fini;20x\n"


def _contributions(runtime) -> list[Contribution]:
    with runtime.session(write=False) as session:
        found = list(session.scalars(select(Contribution).order_by(Contribution.id)))
        session.expunge_all()
    return found


def test_valid_rows_are_queued_refused_rows_reported(runtime, runner, tmp_path: Path):
    sheet = tmp_path / "reunion.csv"
    sheet.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    with runtime.session(write=False) as session:
        published = session.scalar(select(func.count(Practice.id)))
    result = runner("import-sheet", str(sheet))
    assert result.exit_code == 1
    assert "1 ligne(s) mise(s) dans la file de modération, 0 déjà importée(s), 2 refusée(s)." \
        in result.output
    assert "ligne 3, colonne « titre » : champ obligatoire « titre » manquant ou vide" in result.output
    assert "ligne 4, colonne « statut » : « statut » vaut « fini »" in result.output
    assert "ligne 4, colonne « début »" in result.output
    (queued,) = _contributions(runtime)
    assert queued.status == "pending"
    assert queued.contributor_email is None and queued.contributor_name is None
    assert queued.note.startswith("Importée du fichier reunion.csv, ligne 2")
    record = contribution_record(queued)
    assert record.title == "Atelier synthétique importé"
    assert record.themes == ["Insertion et emploi", "Lien social"] and record.started == "2021-03"
    with runtime.session(write=False) as session:  # never published directly
        assert session.scalar(select(func.count(Practice.id))) == published


def test_same_file_twice_makes_no_duplicate(runtime, runner, tmp_path: Path):
    sheet = tmp_path / "virgules.csv"
    sheet.write_text(HEADER.replace(";", ",") + GOOD.replace(";", ",").replace(" | ", "|"),
                     encoding="utf-8-sig")
    first = runner("import-sheet", str(sheet))
    assert first.exit_code == 0, first.output
    second = runner("import-sheet", str(sheet))
    assert second.exit_code == 0
    assert "0 ligne(s) mise(s) dans la file de modération, 1 déjà importée(s), 0 refusée(s)." \
        in second.output
    assert len(_contributions(runtime)) == 1


def test_xlsx_dates_numbers_and_formulas(runtime, runner, tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Titre", "Résumé", "Thèmes", "Bailleurs", "Villes", "Début", "Fin"])
    sheet.append(["Atelier synthétique du tableur", "Résumé inventé.", "Insertion et emploi",
                  "Office Test Habitat", "Rouen", dt.datetime(2020, 9, 1), 2023])
    sheet.append(["Ligne à formule (synthétique)", "=CONCAT(\"a\";\"b\")", "Insertion et emploi",
                  "Office Test Habitat", "Rouen", None, None])
    path = tmp_path / "classeur.xlsx"
    book.save(path)
    result = runner("import-sheet", str(path))
    assert result.exit_code == 1
    assert "ligne 3, colonne « résumé » : la cellule contient une formule" in result.output
    (queued,) = _contributions(runtime)
    record = contribution_record(queued)
    assert (record.started, record.ended) == ("2020-09-01", "2023")


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 60_000_000)
    return path


@pytest.mark.parametrize(("name", "make", "message"), [
    ("macros.xlsm", lambda p: p.write_bytes(b"PK"), "macros (.xlsm) sont refusés"),
    ("bombe.xlsx", _bomb, "décompressé est trop gros"),
    ("faux.xlsx", lambda p: p.write_bytes(b"pas un classeur"), "n'est pas un classeur lisible"),
    ("latin1.csv", lambda p: p.write_bytes(HEADER.encode("cp1252") + GOOD.encode("cp1252")),
     "n'est pas en UTF-8"),
    ("notes.txt", lambda p: p.write_text("x"), "format non pris en charge"),
    ("sans-entete.csv", lambda p: p.write_text("a;b\n1;2\n", encoding="utf-8"), "la ligne 1 doit nommer"),
])
def test_bad_files_are_refused_with_a_clear_message(runtime, runner, tmp_path: Path, name, make,
                                                     message):
    path = tmp_path / name
    make(path)
    result = runner("import-sheet", str(path))
    assert result.exit_code == 1
    assert message in result.output
    assert _contributions(runtime) == []


def test_moderators_see_and_publish_an_imported_row(loaded_runtime, runner, tmp_path: Path):
    from kb import create_app
    from kb.services.contributions.moderators import add_moderator
    from tests.contribute.support import login, mod_post

    sheet = tmp_path / "reunion.csv"
    sheet.write_text(HEADER + GOOD, encoding="utf-8")
    assert runner("import-sheet", str(sheet)).exit_code == 0
    (queued,) = _contributions(loaded_runtime)
    with loaded_runtime.session() as session:
        add_moderator(session, "moderation@exemple.test", "mot-de-passe-de-test-42")
    client = create_app({"SECRET_KEY": "test"}, runtime=loaded_runtime).test_client()
    assert login(client, "moderation@exemple.test", "mot-de-passe-de-test-42").status_code == 303
    assert "Atelier synthétique importé" in client.get("/moderation").get_data(as_text=True)
    item = client.get(f"/moderation/{queued.id}").get_data(as_text=True)
    assert "Importée du fichier reunion.csv, ligne 2" in item
    assert client.get("/pratiques/atelier-synthetique-importe").status_code == 404
    assert mod_post(client, f"/moderation/{queued.id}/publier").status_code in (302, 303)
    assert client.get("/pratiques/atelier-synthetique-importe").status_code == 200


def _template(tmp_path: Path) -> Path:
    from kb.services.contributions.sheets import template_workbook

    path = tmp_path / "modele.xlsx"
    path.write_bytes(template_workbook())
    return path


def test_template_unchanged_imports_nothing(runtime, runner, tmp_path: Path):
    result = runner("import-sheet", str(_template(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "0 ligne(s) mise(s) dans la file de modération, 0 déjà importée(s), 0 refusée(s), " \
           "la ligne d’exemple ignorée." in result.output
    assert _contributions(runtime) == []


def test_template_columns_and_what_its_help_sheet_says_is_required(runtime, runner, tmp_path: Path):
    from openpyxl import load_workbook

    from kb.services.contributions.sheets import EXAMPLE

    book = load_workbook(_template(tmp_path))
    assert book.sheetnames == ["Pratiques", "Colonnes"]
    titles = [c.value for c in book["Pratiques"][1]]
    help_rows = {row[0]: row for row in book["Colonnes"].iter_rows(min_row=2, values_only=True)
                 if row and row[0] and row[1]}
    assert list(help_rows) == titles and all(row[2] for row in help_rows.values())
    names = list(EXAMPLE)
    base = {**EXAMPLE, "titre": "Pratique synthétique du modèle"}

    def import_row(values: dict, n: int) -> int:
        path = tmp_path / f"essai-{n}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows([names, [values[c] for c in names]])
        return runner("import-sheet", str(path)).exit_code

    assert import_row(base, 0) == 0
    for n, (title, row) in enumerate(help_rows.items(), start=1):
        name = names[titles.index(title)]
        without = {**base, name: "", "titre": base["titre"] + f" {n}" if name != "titre" else ""}
        if row[1] == "oui":
            assert import_row(without, n) == 1, title
        elif row[1] == "non":
            assert import_row(without, n) == 0, title
    both = {**base, "bailleurs": "", "partenaires": "", "titre": "Sans organisation (synthétique)"}
    assert import_row(both, 99) == 1


def test_template_is_served_and_linked(client):
    response = client.get("/donnees/modele-pratiques.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="modele-pratiques.xlsx"'
    assert 'href="/donnees/modele-pratiques.xlsx"' in client.get("/donnees").get_data(as_text=True)
