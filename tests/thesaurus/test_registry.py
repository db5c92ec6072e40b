"""The thesaurus file: validated with file:line errors, imported, exported without loss."""

from __future__ import annotations

import shutil

import pytest

from kb.config import ROOT
from kb.corpus import load_corpus
from kb.corpus.registries import read_registry
from kb.corpus.thesaurus import THESAURUS_FILE, dump_thesaurus, term_key
from kb.search.analysis import slots
from kb.search.thesaurus import term_tuple
from kb.taxonomy import label_key

BUNDLED = ROOT / "practices"


@pytest.fixture
def runtime(settings):
    """An empty, migrated base: these tests import what they need themselves."""
    from kb.runtime import Runtime

    rt = Runtime.open(settings)
    rt.upgrade()
    yield rt
    rt.close()


def test_the_bundled_thesaurus_is_valid_large_and_in_canonical_form():
    corpus = load_corpus(BUNDLED)
    assert not [p for p in corpus.problems if THESAURUS_FILE in p.path]
    groups = corpus.thesaurus
    assert len(groups) >= 150
    text = (BUNDLED / THESAURUS_FILE).read_text(encoding="utf-8")
    assert dump_thesaurus(groups) == text
    by_label = {g.label: g for g in groups}
    assert {"impayé de loyer", "dette locative", "arriéré de loyer"} <= set(
        by_label["impayé de loyer"].terms)
    assert "médiateur" in by_label["médiation"].terms
    assert "occupation des halls" in by_label["squat des halls"].terms
    assert "trafic de stupéfiants" in by_label["point de deal"].terms
    for group in groups:
        assert group.source_url is None or group.source_url.startswith(("http://", "https://"))
        assert group.source_url is None or group.source_title
    # Equivalence classes are disjoint: what a word widens to is never ambiguous.
    keys = [term_key(t) for g in groups for t in g.terms]
    assert len(keys) == len(set(keys))


def _contains(seq: list[str], terms: tuple[str, ...]) -> bool:
    n = len(terms)
    return any(tuple(seq[i:i + n]) == terms for i in range(len(seq) - n + 1))


def test_every_theme_of_the_corpus_has_its_vocabulary_in_the_thesaurus():
    """For each theme, several groups name words its own practices use."""
    corpus = load_corpus(BUNDLED)
    keys = [term_tuple(t) for g in corpus.thesaurus for t in (*g.terms, *g.narrower)]
    assert corpus.themes
    for theme in corpus.themes:
        texts = [f"{p.title} {p.summary} {p.body}" for p in corpus.practices
                 if label_key(theme.label) in {label_key(t) for t in p.themes}]
        if not texts:
            continue
        seqs = [[s[0] for s in slots(text) if s] for text in texts]
        found = {k for k in keys if k and any(_contains(seq, k) for seq in seqs)}
        assert len(found) >= 3, (theme.label, found)


BAD = """\
- terms:
    - impayé de loyer
    - dette locative
- terms:
    - médiation
  meaning: champ inconnu
- terms:
    - Dette locative
    - autre chose
- terms:
    - seul terme
- terms: pas une liste
- terms:
    - tranquillité résidentielle
    - sécurité résidentielle
  source:
    title: Page
    url: javascript:alert(1)
- terms:
    - rodéos urbains
    - rodéos motorisés
    - Rodéos  urbains
- terms:
    - santé mentale
    - santé psychique
  narrower:
    - troubles psychiques
"""


def _folder_with(tmp_path, text: str):
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", folder)
    (folder / THESAURUS_FILE).write_text(text, encoding="utf-8")
    return folder


def test_kb_validate_names_file_line_and_field_of_every_problem(tmp_path, runner):
    folder = _folder_with(tmp_path, BAD)
    result = runner("validate", str(folder))
    assert result.exit_code == 1
    shown = f"{folder / THESAURUS_FILE}"
    lines = result.output.splitlines()

    def problem(line: int, field: str) -> str:
        found = [x for x in lines if x.strip().startswith(f"{shown}:{line}: [{field}]")]
        assert found, (line, field, result.output)
        return found[0]

    assert "champ inconnu « meaning »" in problem(4, "meaning")
    assert "déjà dans le groupe « impayé de loyer » ligne 1" in problem(7, "terms")
    assert "au moins deux termes" in problem(10, "terms")
    assert "liste de termes" in problem(12, "terms")
    assert "http" in problem(13, "url")
    assert "écrit deux fois" in problem(19, "terms")


def test_good_groups_are_imported_next_to_bad_ones(tmp_path, runner, runtime):
    from kb import storage

    folder = _folder_with(tmp_path, BAD)
    assert runner("import", str(folder)).exit_code == 1  # the problems are reported...
    with runtime.session(write=False) as session:
        groups = storage.registry_thesaurus(session)
    # ...and the valid groups are in kb, the first "dette locative" winning.
    assert [g.terms for g in groups] == [("impayé de loyer", "dette locative"),
                                         ("santé mentale", "santé psychique")]
    assert groups[1].narrower == ("troubles psychiques",)


def test_kb_init_loads_the_bundled_thesaurus_and_export_gives_it_back_byte_for_byte(
        tmp_path, runner, runtime):
    from kb import storage

    assert runner("init").exit_code == 0
    with runtime.session(write=False) as session:
        assert len(storage.thesaurus_groups(session)) == len(load_corpus(BUNDLED).thesaurus)
    first, second = tmp_path / "first", tmp_path / "second"
    assert runner("export", str(first)).exit_code == 0
    exported = (first / THESAURUS_FILE).read_bytes()
    assert exported == (BUNDLED / THESAURUS_FILE).read_bytes()
    assert runner("import", str(first)).exit_code == 0
    assert runner("export", str(second)).exit_code == 0
    assert (second / THESAURUS_FILE).read_bytes() == exported


def test_a_group_typed_by_a_moderator_survives_export_and_import_into_a_fresh_base(
        tmp_path, runner, runtime, database_url):
    from kb import storage
    from kb.config import Settings
    from kb.runtime import Runtime
    from kb.services.corpus import export_folder, import_folder
    from kb.services.thesaurus import group_from_form

    # Typed as a moderator would (synthetic text): spaces, blank lines, quotes, a colon.
    record = group_from_form({"terms": "  terme « synthétique » : un \n\n équivalent   synthétique\n",
                              "narrower": "terme synthétique précis\n",
                              "source_title": "Titre : source synthétique",
                              "source_url": "https://exemple.org/t?x=1&y=2"})
    assert record.terms == ("terme « synthétique » : un", "équivalent synthétique")
    with runtime.session() as session:
        storage.save_thesaurus_group(session, record)
    first = tmp_path / "first"
    with runtime.session(write=False) as session:
        export_folder(session, first)
    fresh = Runtime.open(Settings(database_url=database_url("fresh"), index_dir=tmp_path / "ix2",
                                  corpus_dir=first))
    fresh.upgrade()
    with fresh.session() as session:
        report = import_folder(session, first)
    assert not report.errors
    with fresh.session(write=False) as session:
        assert storage.registry_thesaurus(session) == [record]
    fresh.close()
    text = (first / THESAURUS_FILE).read_text(encoding="utf-8")
    assert read_registry(first / THESAURUS_FILE, "x", ("terms", "narrower", "source"), [])[0][
        "terms"] == list(record.terms)
    assert text.count("terme synthétique précis") == 1


def test_kb_search_says_what_it_widened_to_and_its_json_lists_it(runner, runtime):
    import json

    assert runner("init").exit_code == 0
    result = runner("search", "arriérés de loyer")
    assert result.exit_code == 0
    assert "Recherche élargie à : impayé de loyer" in result.output.splitlines()[0]
    data = json.loads(runner("search", "arriérés de loyer", "--json").output)
    assert data["expanded"][0] == "impayé de loyer" and data["total"] > 0
    plain = json.loads(runner("search", "jardin", "--json").output)
    assert plain["expanded"] == [] and "Recherche élargie" not in runner("search", "jardin").output
