"""The Table Schema of the practices CSV: committed, served, and met by the real export.

``frictionless validate`` (the command a re-user runs) checks the CSV that
/recherche.csv streams, for the bundled corpus and for a hostile one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.config import ROOT
from kb.services.reuse.schema import VERSION, schema_json, table_schema
from kb.vocabulary import EVIDENCE_LEVELS, PRACTICE_STATUSES
from kb.web.exports import CSV_COLUMNS

SCHEMA_DIR = ROOT / "schema" / "pratiques"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
FRICTIONLESS = Path(sys.executable).with_name("frictionless")

# Synthetic practices whose cells a CSV writer or a spreadsheet could trip over.
HOSTILE = {
    "piege-formule.md": """---
title: "=HYPERLINK(\\"http://evil.example\\";\\"clic\\")"
summary: "+33 1 23 45 67 89 ; un résumé qui commence comme une formule, avec des \\"guillemets\\"."
themes:
  - "@Thème piégé"
landlords:
  - Office Test Habitat
cities:
  - Rouen
districts:
  - "-Quartier moins"
status: terminée
started: 2019-05-01
ended: 2023
evidence: prometteuse
---

Corps synthétique.
""",
    "piege-lignes.md": """---
title: Titre ; avec points-virgules, virgules et « guillemets » "droits"
summary: |
  Première ligne du résumé synthétique ;
  deuxième ligne, avec une virgule	et une tabulation ; =SOMME(A1) après un point-virgule.
themes:
  - Insertion et emploi
landlords:
  - Office Test Habitat
cities:
  - Rouen
started: 2021-03
---

Corps synthétique.
""",
}


def frictionless(csv_path: Path, schema: Path) -> dict:
    """``frictionless validate --json`` on one file, its report parsed."""
    done = subprocess.run([str(FRICTIONLESS), "validate", csv_path.name, "--schema", str(schema),
                           "--json", "--trusted"], cwd=csv_path.parent, capture_output=True,
                          text=True, timeout=120)
    report = json.loads(done.stdout)
    assert (done.returncode == 0) == report["valid"], done.stderr
    return report


def errors(report: dict) -> list[str]:
    return [e["message"] for task in report["tasks"] for e in task["errors"]]


def test_committed_schema_is_what_kb_declares():
    committed = (SCHEMA_DIR / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "regenerate: python -m kb.services.reuse.schema"


def test_fields_are_the_csv_columns_in_order():
    assert tuple(f["name"] for f in table_schema()["fields"]) == CSV_COLUMNS


def test_closed_lists_come_from_the_vocabulary():
    fields = {f["name"]: f for f in table_schema()["fields"]}
    assert fields["statut"]["constraints"]["enum"] == list(PRACTICE_STATUSES)
    assert fields["niveau de preuve"]["constraints"]["enum"] == list(EVIDENCE_LEVELS)
    assert all(f["title"] and f["description"] and f["type"] for f in fields.values())


def test_schema_folder_has_readme_changelog_and_a_valid_example():
    readme = (SCHEMA_DIR / "README.md").read_text(encoding="utf-8")
    assert "frictionless validate" in readme
    assert f"## {VERSION}" in (SCHEMA_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    examples = sorted((SCHEMA_DIR / "exemples").glob("*.csv"))
    assert examples
    for example in examples:
        assert "synthetique" in example.name
        report = frictionless(example, SCHEMA_DIR / "schema.json")
        assert report["valid"], errors(report)


def test_route_serves_the_schema_with_this_instance_address(client):
    response = client.get("/schema/pratiques.json")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    served = json.loads(response.data)
    assert served == table_schema("http://localhost")
    assert served["homepage"] == "http://localhost/donnees"


@pytest.fixture
def bundled_dir(tmp_path: Path) -> Path:
    target = tmp_path / "bundled"
    shutil.copytree(ROOT / "practices", target)
    return target


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    target = tmp_path / "hostile"
    shutil.copytree(FIXTURES, target)
    for name, text in HOSTILE.items():
        (target / name).write_text(text, encoding="utf-8")
    return target


def _export(runtime, folder: Path, out: Path) -> Path:
    from kb import create_app
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    with runtime.session() as session:
        import_folder(session, folder)
    with runtime.session(write=False) as session:
        rebuild_index(session, runtime.index)
    client = create_app({"TESTING": True, "SECRET_KEY": "test"}, runtime=runtime).test_client()
    response = client.get("/recherche.csv")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    out.write_bytes(response.data)
    return out


def test_bundled_corpus_export_validates(runtime, bundled_dir, tmp_path):
    csv_path = _export(runtime, bundled_dir, tmp_path / "pratiques.csv")
    report = frictionless(csv_path, SCHEMA_DIR / "schema.json")
    assert report["valid"], errors(report)
    task = report["tasks"][0]
    # The BOM is not part of the first column's name: the header matched the schema's names.
    assert task["labels"] == list(CSV_COLUMNS)
    assert task["stats"]["rows"] == len(list((bundled_dir).glob("*.md")))


def test_hostile_export_validates_and_a_broken_one_does_not(runtime, hostile_dir, tmp_path):
    csv_path = _export(runtime, hostile_dir, tmp_path / "pratiques.csv")
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "piege-lignes" in text and "'=HYPERLINK" in text and ";' =SOMME(A1)" in text
    assert "\n  deuxième" not in text
    report = frictionless(csv_path, SCHEMA_DIR / "schema.json")
    assert report["valid"], errors(report)
    # The same file with a status outside the vocabulary, and a header renamed: refused.
    broken = tmp_path / "casse.csv"
    broken.write_text(text.replace("\"terminée\"", "\"finie\"").replace("niveau de preuve", "preuve"),
                      encoding="utf-8-sig")
    messages = errors(frictionless(broken, SCHEMA_DIR / "schema.json"))
    assert any("finie" in m for m in messages), messages
    assert any("preuve" in m for m in messages), messages
