"""The ``kb`` command line, through click's runner, on a real database and index."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from kb import storage
from kb.config import ROOT
from kb.runtime import Runtime


def test_commands_refuse_to_run_before_init(runner, corpus_dir):
    result = runner("import", str(corpus_dir))
    assert result.exit_code != 0 and "kb init" in result.output


def test_a_base_that_cannot_be_opened_is_said_in_french_not_as_a_traceback(env, tmp_path):
    from click.testing import CliRunner

    from kb.cli import main

    broken = tmp_path / "pas-une-base.sqlite"
    broken.write_bytes(b"ceci n'est pas un fichier SQLite\n" * 200)
    unreachable = "postgresql+psycopg://kb:motdepasse@127.0.0.1:9/kb"  # port 9: nothing listens
    for url, reason in ((f"sqlite:///{broken}", "file is not a database"),
                        (unreachable, "connection")):
        for command in (["search", "halls"], ["init"], ["reindex"], ["validate", str(tmp_path)]):
            result = CliRunner().invoke(main, command, env={**env, "KB_DATABASE_URL": url})
            assert result.exit_code == 1, (url, command, result.output)
            assert "Erreur : impossible d'ouvrir la base de données" in result.output
            assert reason in result.output and "Traceback" not in result.output
            assert "motdepasse" not in result.output  # the password is never printed
    assert broken.read_bytes().startswith(b"ceci n'est pas")  # nothing written over it


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
    # The original shape, plus the fields added and documented for partial results, the
    # thesaurus and words found nowhere.
    assert set(data) == {"total", "results", "facets", "suggestion", "partial", "missing_terms",
                         "expanded", "unknown_terms"}
    assert data["total"] >= 1
    assert set(data["results"][0]) == {"slug", "title", "score", "snippet", "missing_terms"}
    assert {"theme", "landlord", "city"} <= set(data["facets"])
    assert set(data["facets"]["theme"][0]) == {"value", "label", "count"}


def test_search_filters_accept_labels_and_aliases(runner):
    runner("init")
    by_alias = json.loads(runner("search", "--json", "--landlord", "I3F").output)
    by_name = json.loads(runner("search", "--json", "--landlord", "Immobilière 3F").output)
    slugs = [r["slug"] for r in by_alias["results"]]
    assert "equipe-mobile-tranquillite-residentielle-3f" in slugs
    assert slugs == [r["slug"] for r in by_name["results"]]  # the alias is the landlord
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


def latest_change(settings) -> int:
    """The change log's highest id, read as another process would."""
    runtime = Runtime.open(settings)
    try:
        with runtime.session(write=False) as session:
            return storage.latest_change(session)
    finally:
        runtime.close()


def test_reindex_rebuilds_and_records_the_changes_it_covers(runner, settings):
    runner("init")
    state = settings.index_dir / "changes.json"
    state.unlink()  # lost: the follower would apply every change ever logged again
    result = runner("reindex")
    assert result.exit_code == 0 and "indexée(s)" in result.output
    latest = latest_change(settings)
    assert latest > 0 and json.loads(state.read_text())["applied"] == latest


def test_a_large_import_into_an_indexed_base_rebuilds_the_index_instead_of_upserting(
        runner, settings, tmp_path):
    """After ``kb init`` (bundled corpus, index built), importing a folder far larger
    than the base rebuilds the index (upserting 10,000 practices took 85 s, a
    rebuild 11 s); a small import upserts into the live generation."""
    from tests.benchmarks.gen_corpus import write_practices

    runner("init")
    generation = (settings.index_dir / "CURRENT").read_text()
    write_practices(3, tmp_path / "few", seed=5)
    assert runner("import", str(tmp_path / "few")).exit_code == 0
    assert (settings.index_dir / "CURRENT").read_text() == generation  # upserted
    many = write_practices(250, tmp_path / "many", seed=6)
    result = runner("import", str(tmp_path / "many"))
    assert result.exit_code == 0 and "créées 247 · mises à jour 3" in result.output, result.output
    assert (settings.index_dir / "CURRENT").read_text() != generation  # rebuilt
    found = json.loads(runner("search", "--json", "--limit", "50", many[0].title).output)
    assert many[0].slug in [r["slug"] for r in found["results"]]
    assert "rien à réparer" in runner("check-index", "--dry-run").output
    latest = latest_change(settings)
    assert json.loads((settings.index_dir / "changes.json").read_text())["applied"] == latest


# -- help in French, output people can read, lazy imports, a real server -------------------

# click's own English words and metavars, as whole words.
ENGLISH_HELP = re.compile(r"Usage:|Show this message|Commands:|\[default:|Try '|\b(?:TEXT|INTEGER|"
                          r"RANGE|PATH|COMMAND|ARGS|DIRECTORY|QUERY|FILE|EMAIL)\b")


def _commands(group, path=()):
    import click

    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_every_help_is_in_french_with_a_line_per_option(runner):
    import click

    from kb.cli import main

    pages = [((), main), *_commands(main)]
    assert len(pages) > 15
    for path, command in pages:
        result = runner(*path, "--help")
        assert result.exit_code == 0, path
        text = result.output
        assert text.startswith("Utilisation : "), (path, text[:60])
        assert "Affiche cette aide et quitte." in text
        assert not ENGLISH_HELP.findall(text), (path, text)
        assert command.help, path
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help and param.help.strip(), (path, param.name)
                assert param.opts[0] in text, (path, param.name)


def test_usage_errors_are_explained_in_french(runner):
    missing = runner("import")
    assert missing.exit_code == 2 and "Erreur : il manque 'DOSSIER'." in missing.output
    assert "import --help » pour l'aide." in missing.output
    assert "valeur refusée pour '--limit' : attendu un nombre entier de 1 à 200." in runner(
        "search", "--limit", "0", "x").output
    assert "commande inconnue : « cherche »" in runner("cherche").output


def test_search_prints_snippet_landlords_and_cities_of_each_result(runner):
    runner("init")
    result = runner("search", "Uni'Voisins", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first = lines.index("- Collectif Solution Uni’Voisins [collectif-solution-uni-voisins]")
    snippet, facts = lines[first + 1], lines[first + 2]
    assert "Uni’Voisins" in snippet and "<" not in snippet and "&#" not in snippet
    assert facts == "  Bailleurs : CDC Habitat · Villes : Rouen"


def _run_python(code: str, env: dict[str, str]) -> str:
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_search_says_which_words_partial_results_lack(runner):
    runner("init")
    # No bundled practice speaks of barbecues: the results are those about the other word.
    result = runner("search", "barbecues urbains", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # A word in no practice is said plainly, once, rather than as a missing word.
    assert "Aucune pratique ne parle de « barbecues »." in lines
    assert not any(line.startswith("Résultats sans") for line in lines)
    assert lines.count("  Sans : barbecues") == 3
    whole = runner("search", "tranquillité résidentielle", "--limit", "3").output
    assert "Résultats sans" not in whole and "Sans :" not in whole


def test_kb_search_and_help_import_neither_flask_nor_alembic(runner, env):
    runner("init")
    code = """
import sys
from kb.cli import main
try:
    main([{args}], prog_name='kb')
except SystemExit as exit:
    assert not exit.code, exit.code
heavy = sorted(m for m in ("flask", "alembic", "werkzeug", "jinja2", {extra}) if m in sys.modules)
print("LOADED", heavy)
"""
    # Nor the word lists (kb/search/lexicon.py): a search finding enough never needs them.
    searched = _run_python(code.format(args="'search', 'tranquillité'",
                                       extra="'yaml', 'spellchecker'"), env)
    assert "pratique(s)" in searched and "LOADED []" in searched
    helped = _run_python(code.format(args="'--help'", extra="'sqlalchemy', 'whoosh', "
                                                          "'spellchecker'"), env)
    assert "Utilisation : kb" in helped and "LOADED []" in helped


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_and_get(env: dict[str, str], *options: str) -> tuple[dict, str]:
    """Start ``kb serve`` in a subprocess, GET a search page, stop the server."""
    import os
    import shutil
    import subprocess
    import time
    import urllib.request

    port = _free_port()
    kb = shutil.which("kb", path=str(Path(sys.executable).parent))
    with subprocess.Popen([kb, "serve", "--port", str(port), *options],
                          env={**os.environ, **env}, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/recherche?q=tranquillit%C3%A9",
                                                timeout=5) as page:
                        return dict(page.headers), page.read().decode("utf-8")
                except OSError:
                    assert server.poll() is None, server.stdout.read()
                    assert time.monotonic() < deadline, "kb serve did not answer in 60 s"
                    time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_serve_answers_through_waitress_without_a_server_banner(runner, env):
    runner("init")
    headers, body = _serve_and_get(env, "--threads", "2")
    assert "Équipe mobile de tranquillité résidentielle" in body
    assert "Server" not in headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_serve_with_several_workers_runs_gunicorn(runner, env):
    runner("init")
    headers, body = _serve_and_get(env, "--workers", "2", "--threads", "2")
    assert "Équipe mobile de tranquillité résidentielle" in body
    assert headers["Server"] == "gunicorn"


def test_search_options_follow_the_facets_and_sorts_of_the_index():
    from kb.cli import FACET_OPTIONS, MAX_LIMIT, SORT_CHOICES
    from kb.search import FACETS, SORTS
    from kb.services.search import MAX_LIMIT as SERVICE_MAX_LIMIT

    assert FACET_OPTIONS == FACETS and SORT_CHOICES == SORTS and MAX_LIMIT == SERVICE_MAX_LIMIT


def test_bulk_commands_hand_the_collector_back_without_a_backlog():
    """Import and reindex pause the garbage collector; afterwards it runs as before,
    without first walking the million objects made meanwhile."""
    import gc

    from kb.cli.base import bulk_work

    assert gc.isenabled()
    with bulk_work():
        assert not gc.isenabled()
        made = [[i] for i in range(200_000)]
    assert gc.isenabled()
    # They went straight to the oldest generation, which is walked only rarely; a
    # young collection would have walked all of them to get them to the middle one.
    assert any(o is made for o in gc.get_objects(generation=2))
