"""No practice repeats 12 consecutive words of a source it was written from (issue 28).

``tests/corpus/source_runs/<slug>.json`` keeps only hashes of each source's
12-word runs (made by ``scripts/source_runs.py`` from the source text, which is
never committed); here the practice's own runs (title, summary, body) are hashed
the same way and must share none with its sources.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from kb.config import ROOT
from kb.corpus import load_corpus

_spec = importlib.util.spec_from_file_location("source_runs", ROOT / "scripts" / "source_runs.py")
source_runs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(source_runs)

RUNS_DIR = ROOT / "tests" / "corpus" / "source_runs"
RUN_FILES = sorted(RUNS_DIR.glob("*.json"))
PRACTICES = {p.slug: p for p in load_corpus(ROOT / "practices").practices}


def shared_runs(practice, sources: list[dict]) -> list[str]:
    """One line per run of the practice found among a source's run hashes."""
    found = []
    for source in sources:
        hashes = set(source["runs"])
        for field in ("title", "summary", "body"):
            text = getattr(practice, field) or ""
            ws = source_runs.words(text)
            for i, h in source_runs.runs(text):
                if h in hashes:
                    found.append(f"{practice.slug}: {field}, words {i + 1}-{i + source_runs.RUN} "
                                 f"« {' '.join(ws[i:i + source_runs.RUN])} » are in {source['url']}")
    return found


def test_some_practices_are_covered():
    assert len(RUN_FILES) >= 12


@pytest.mark.parametrize("path", RUN_FILES, ids=lambda p: p.stem)
def test_practice_shares_no_twelve_word_run_with_its_sources(path):
    assert path.stem in PRACTICES, f"{path.name} names no practice of practices/"
    sources = json.loads(path.read_text(encoding="utf-8"))["sources"]
    found = shared_runs(PRACTICES[path.stem], sources)
    assert not found, "\n".join(found)


HEX = re.compile(rf"^[0-9a-f]{{{source_runs.HASH_CHARS}}}$")


@pytest.mark.parametrize("path", RUN_FILES, ids=lambda p: p.stem)
def test_run_files_hold_addresses_dates_and_hashes_only(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data) == ["sources"] and data["sources"]
    for source in data["sources"]:
        assert sorted(source) == ["read", "runs", "url"]
        assert source["url"].startswith(("http://", "https://"))
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source["read"])
        assert source["runs"] == sorted(set(source["runs"])) and source["runs"]
        assert all(HEX.match(h) for h in source["runs"])


# --- the guard itself, on a source written here ------------------------------

SOURCE = ("Située rue du Professeur-Piéchaud, la résidence dispose de 25 studios de 24 et 30 m², "
          "destinés à accueillir des locataires atteints de troubles psychiques, isolés.")


class _Sheet:
    slug = "exemple"
    title = "Une résidence"

    def __init__(self, summary: str, body: str = "") -> None:
        self.summary, self.body = summary, body


def _runs_file(tmp_path: Path) -> list[dict]:
    folder = tmp_path / "src" / "exemple"
    folder.mkdir(parents=True)
    (folder / "1.txt").write_text(f"URL: https://example.org/a\nRead: 2026-12-08\n\n{SOURCE}\n",
                                  encoding="utf-8")
    assert source_runs.main([str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--all"]) == 0
    text = (tmp_path / "out" / "exemple.json").read_text(encoding="utf-8")
    assert "troubles" not in text and "studios" not in text  # hashes, never the words
    return json.loads(text)["sources"]


def test_a_twelve_word_run_is_found_whatever_its_case_accents_and_punctuation(tmp_path):
    sources = _runs_file(tmp_path)
    # 12 words of the source, other case, accents dropped, other punctuation.
    copied = "Elle compte 25 STUDIOS de 24 et 30 m2 — destines a accueillir des locataires ; enfin."
    found = shared_runs(_Sheet("Un résumé.", body=copied), sources)
    assert len(found) == 1
    assert found[0].startswith("exemple: body, words 3-14 « 25 studios de 24 et 30 m2 destines a")
    assert "https://example.org/a" in found[0]


def test_eleven_shared_words_pass(tmp_path):
    sources = _runs_file(tmp_path)
    eleven = "Elle compte 25 studios de 24 et 30 m², destinés à accueillir nos locataires."
    assert shared_runs(_Sheet(eleven), sources) == []


def test_a_source_file_without_its_header_is_refused(tmp_path):
    folder = tmp_path / "src" / "exemple"
    folder.mkdir(parents=True)
    (folder / "1.txt").write_text("https://example.org/a\n\ntexte\n", encoding="utf-8")
    assert source_runs.main([str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--all"]) == 1


def test_sources_of_a_sheet_not_in_the_folder_are_skipped(tmp_path):
    folder = tmp_path / "src" / "exemple"
    folder.mkdir(parents=True)
    (folder / "1.txt").write_text(f"URL: https://example.org/a\nRead: 2026-12-08\n\n{SOURCE}\n",
                                  encoding="utf-8")
    (tmp_path / "practices").mkdir()
    args = [str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--practices", str(tmp_path / "practices")]
    assert source_runs.main(args) == 0
    assert not (tmp_path / "out" / "exemple.json").exists()
    (tmp_path / "practices" / "exemple.md").write_text("---\n", encoding="utf-8")
    assert source_runs.main(args) == 0
    assert (tmp_path / "out" / "exemple.json").exists()
