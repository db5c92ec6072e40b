"""Point 8: CSV formulas passed when the file was read with ``;`` (French-locale
spreadsheets): ``Médiation;=1+1;`` came back as the cell ``=1+1``; a full-width
``＝`` or a zero-width space before ``=`` was not neutralised either.

Hostile values are written straight into the database (as if stored before any
rule), the export is read back with ``,`` and with ``;``, and no cell starts
with a formula character, even after the invisible characters a reader skips.
"""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from sqlalchemy import update

from kb.models import Practice, Theme
from kb.services.reuse.spreadsheet import csv_lines, neutralise

SLUG = "collectif-solution-uni-voisins"
INVISIBLES = ["\u200b", "\ufeff", "\u200e", "\u200f", "\u202e", "\u2066", "\u00a0", "\u2060",
              "\u3000", " ", "\u00ad", '"']
STARTS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]
PAYLOADS = [
    "Médiation;=1+1;",
    "Médiation;=cmd|'/C calc'!A0;",
    "＝1+1",
    "\u200b=1+1",
    "\ufeff+33 6 00 00 00 00",
    "\u202e@SUM(A1)",
    '"=1+1',
    "Texte\n=1+1",
    "Texte\r\n-2+3",
    "Texte\t=1+1",
    "a; \u200b\u00a0＠x",
    '"a";"=HYPERLINK(""http://evil.example"")"',
]
# A reader may skip these before the first character it looks at.
SKIPPED = "".join(INVISIBLES) + " \t\r\n"


def _dangerous(cell: str) -> bool:
    """A cell whose first character a reader looks at, past what it may skip, starts a formula."""
    stripped = cell.lstrip(SKIPPED)
    return bool(stripped) and unicodedata.normalize("NFKC", stripped[0]) in "=+-@\u2212"


def _cells(text: str, delimiter: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline=None), delimiter=delimiter) for cell in row]


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_reads_back_as_a_formula(payload, delimiter):
    written = "".join(csv_lines([["slug", payload, "x" + payload]], ["slug", "titre", "autre"],
                                delimiter=delimiter))[1:]
    for reader in (",", ";"):
        cells = _cells(written, reader)
        assert not [c for c in cells if _dangerous(c)], (reader, written)
    # Read with its own separator, the value is whole, behind one "'" at most per segment.
    # (The reader is in universal-newline mode: "\r\n" comes back as "\n".)
    assert _cells(written, delimiter)[4].replace("'", "") == payload.replace("'", "").replace("\r\n", "\n")


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("before", ["", *INVISIBLES])
def test_every_start_behind_every_invisible_is_neutralised(start, before):
    cell = neutralise(f"{before}{start}1+1")
    assert cell.startswith("'"), repr(cell)


def test_ordinary_text_is_left_alone():
    for text in ["Médiation et lien social", "Accueil : 12 ménages, 3 quartiers", "a-b=c",
                 "L’« Arbre à palabres »", "2019"]:
        assert neutralise(text) == text


def test_every_cell_is_quoted():
    line = "".join(csv_lines([["2019", "Rouen"]], ["début", "ville"]))
    assert line == '\ufeffdébut,ville\r\n"2019","Rouen"\r\n'


@pytest.fixture
def hostile(bundled_runtime):
    with bundled_runtime.session() as session:
        practice = session.query(Practice).filter_by(slug=SLUG).one()
        session.execute(update(Practice).where(Practice.id == practice.id).values(
            title="Médiation;=1+1;", summary="Médiation;=cmd|'/C calc'!A0;\n\u200b＝2+2"))
        theme_id = practice.themes[0].theme_id
        session.execute(update(Theme).where(Theme.id == theme_id).values(label="\u200b=1+1"))


def test_the_export_is_inert_read_with_comma_and_semicolon(client, hostile):
    response = client.get("/recherche.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    assert "Médiation;'=1+1;" in text
    for delimiter in (",", ";"):
        cells = _cells(text, delimiter)
        assert len(cells) > (100 if delimiter == "," else 10)
        assert not [c for c in cells if _dangerous(c)], delimiter
    rows = list(csv.DictReader(io.StringIO(text)))
    trap = next(r for r in rows if r["slug"] == SLUG)
    assert trap["titre"] == "Médiation;'=1+1;"
    assert trap["résumé"] == "Médiation;'=cmd|'/C calc'!A0;\n'\u200b＝2+2"


def test_exports_at_once_are_bounded_and_released(client, monkeypatch):
    import threading

    from kb.web import exports

    gate = threading.BoundedSemaphore(1)
    monkeypatch.setattr(exports, "_exports", gate)
    gate.acquire()
    refused = client.get("/recherche.csv")
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert "réessayez dans quelques secondes" in refused.get_data(as_text=True)
    gate.release()
    for _ in range(3):  # each export gives its place back once sent
        response = client.get("/recherche.csv")
        assert response.status_code == 200 and response.get_data(as_text=True)
        response.close()
