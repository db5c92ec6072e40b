"""The ``kb`` command line, through click's runner, on a real database and index."""

from __future__ import annotations

import json

from kb.config import ROOT


def test_commands_refuse_to_run_before_init(runner, corpus_dir):
    result = runner("import", str(corpus_dir))
    assert result.exit_code != 0 and "kb init" in result.output


def test_init_imports_the_bundled_corpus_and_builds_the_index(runner):
    result = runner("init")
    assert result.exit_code == 0, result.output
    assert "Fichiers rejetés : 0" in result.output
    practices = [p for p in (ROOT / "practices").glob("*.md") if p.name != "README.md"]
    events = list((ROOT / "practices" / "rendez-vous").glob("*.md"))
    assert f"Pratiques : créées {len(practices)} ·" in result.output
    assert f"Rendez-vous : créés {len(events)} ·" in result.output
    found = json.loads(runner("search", "--json", "Uni'Voisins").output)
    assert found["results"][0]["slug"] == "collectif-solution-uni-voisins"


def test_init_is_idempotent(runner):
    runner("init")
    result = runner("init")
    assert result.exit_code == 0 and "Pratiques : créées 0 · mises à jour 0" in result.output


def test_validate_reports_every_problem_with_file_and_exit_code(runner, corpus_dir):
    (corpus_dir / "mauvais.md").write_text("---\ntitle: x\nsumary: y\n---\n", encoding="utf-8")
    result = runner("validate", str(corpus_dir))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "mauvais.md" in line]
    assert len(lines) >= 4  # summary, themes, cities, unknown key, no organisation
    assert any("[sumary]" in line and ":3:" in line for line in lines)


def test_validate_accepts_a_clean_folder(runner, corpus_dir):
    result = runner("validate", str(corpus_dir))
    assert result.exit_code == 0 and "2 pratiques, 1 rendez-vous" in result.output


def test_validate_the_bundled_corpus(runner):
    result = runner("validate", str(ROOT / "practices"))
    assert result.exit_code == 0, result.output


def test_import_prints_a_summary_and_is_idempotent(runner, corpus_dir):
    runner("init")
    first = runner("import", str(corpus_dir))
    assert first.exit_code == 0
    assert "Pratiques : créées 2 · mises à jour 0 · inchangées 0" in first.output
    assert "Rendez-vous : créés 1 · mis à jour 0 · inchangés 0" in first.output
    assert "Fichiers rejetés : 0" in first.output
    again = runner("import", str(corpus_dir))
    assert "Pratiques : créées 0 · mises à jour 0 · inchangées 2" in again.output
    assert "Rendez-vous : créés 0 · mis à jour 0 · inchangés 1" in again.output


def test_import_with_a_bad_file_exits_non_zero_but_keeps_the_rest(runner, corpus_dir):
    runner("init")
    (corpus_dir / "casse.md").write_text("pas d'en-tête\n", encoding="utf-8")
    result = runner("import", str(corpus_dir))
    assert result.exit_code == 1 and "Fichiers rejetés : 1" in result.output
    assert "casse.md" in result.output


def test_export_writes_files_that_validate(runner, tmp_path):
    runner("init")
    out = tmp_path / "out"
    result = runner("export", str(out))
    assert result.exit_code == 0
    assert (out / "collectif-solution-uni-voisins.md").exists()
    assert (out / "_organisations.yaml").exists() and (out / "rendez-vous").is_dir()
    assert runner("validate", str(out)).exit_code == 0


def test_search_json_has_the_documented_shape(runner):
    runner("init")
    data = json.loads(runner("search", "tranquillite", "--json", "--limit", "200").output)
    # The original shape, plus the fields added and documented for partial results.
    assert set(data) == {"total", "results", "facets", "suggestion", "partial", "missing_terms"}
    assert data["total"] >= 1
    assert set(data["results"][0]) == {"slug", "title", "score", "snippet", "missing_terms"}
    assert {"theme", "landlord", "city"} <= set(data["facets"])
    assert set(data["facets"]["theme"][0]) == {"value", "label", "count"}


def test_search_filters_accept_labels_and_aliases(runner):
    runner("init")
    by_alias = json.loads(runner("search", "--json", "--landlord", "I3F").output)
    assert [r["slug"] for r in by_alias["results"]] == ["equipe-mobile-tranquillite-residentielle-3f"]
    by_label = json.loads(runner("search", "--json", "--city", "rouen", "--theme",
                                 "mediation et lien social").output)
    assert "collectif-solution-uni-voisins" in [r["slug"] for r in by_label["results"]]


def test_check_index_repairs_a_missing_index(runner, settings):
    import shutil

    runner("init")
    shutil.rmtree(settings.index_dir)
    result = runner("check-index")
    assert result.exit_code == 0
    assert "rien à réparer" in runner("check-index").output


def test_reindex_rebuilds(runner):
    runner("init")
    result = runner("reindex")
    assert result.exit_code == 0 and "indexée(s)" in result.output
