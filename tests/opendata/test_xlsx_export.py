"""/recherche.xlsx: the CSV's columns and cells, every cell text (never a formula), and a sheet
that names the source, the licence and the date of the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.opendata.test_table_schema import FIXTURES, HOSTILE


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    target = tmp_path / "hostile"
    shutil.copytree(FIXTURES, target)
    for name, text in HOSTILE.items():
        (target / name).write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize("query", ["", "?q=synthétique&sort=title"])
def test_same_rows_as_the_csv_and_no_formula(client, query):
    response = client.get(f"/recherche.xlsx{query}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="kb-pratiques.xlsx"'
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Pratiques", "À propos"]
    rows = [[c.value or "" for c in row] for row in book["Pratiques"].iter_rows()]
    text = client.get(f"/recherche.csv{query}").get_data(as_text=True)
    assert rows == list(csv.reader(io.StringIO(text[1:])))
    assert len(rows) > 1
    assert all(c.data_type == "s" for row in book["Pratiques"].iter_rows() for c in row if c.value)


def test_formula_like_title_is_text(client):
    book = load_workbook(io.BytesIO(client.get("/recherche.xlsx").data))
    titles = [row[1] for row in book["Pratiques"].iter_rows(values_only=True)]
    assert any(t.startswith("'=HYPERLINK") for t in titles)


def test_about_sheet_names_source_licence_and_date(client):
    response = client.get("/recherche.xlsx?theme=insertion-et-emploi")
    about = dict(load_workbook(io.BytesIO(response.data))["À propos"].iter_rows(values_only=True))
    assert about["Source"] == "kb : http://localhost/recherche?theme=insertion-et-emploi"
    assert "Licence Ouverte" in about["Licence"]
    assert about["Date de l’export"].startswith(dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"))
    book = load_workbook(io.BytesIO(response.data))
    assert about["Pratiques"] == str(book["Pratiques"].max_row - 1)
