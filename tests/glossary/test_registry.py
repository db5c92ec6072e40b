"""The glossary file: validated with file:line errors, imported, exported without loss."""

from __future__ import annotations

import shutil

import pytest

from kb.config import ROOT
from kb.corpus import load_corpus
from kb.corpus.glossary import GLOSSARY_FILE, dump_glossary

BUNDLED = ROOT / "practices"
REQUIRED = ("QPV", "GUP", "CCAPEX", "FSL", "ACI", "TZNR", "PSSM", "CMP", "CLSM", "ADIL", "CAF",
            "APL", "SIAO", "DALO", "ESH", "OPH", "NPNRU", "ANRU", "CCAS", "SLC", "CSF", "CNL",
            "EMTR", "GPIS", "USH")


@pytest.fixture
def runtime(settings):
    """An empty, migrated base: these tests import what they need themselves."""
    from kb.runtime import Runtime

    rt = Runtime.open(settings)
    rt.upgrade()
    yield rt
    rt.close()


def test_the_bundled_glossary_holds_the_acronyms_of_the_field():
    corpus = load_corpus(BUNDLED)
    assert not [p for p in corpus.problems if GLOSSARY_FILE in p.path]
    terms = {t.acronym: t for t in corpus.glossary}
    assert set(REQUIRED) <= set(terms)
    assert terms["CMP"].expansion == "centre médico-psychologique"
    assert terms["GUP"].expansion == "gestion urbaine de proximité"
    assert terms["ACI"].expansion == "atelier et chantier d’insertion"
    for term in terms.values():
        assert term.definition, term.acronym
        assert term.source_url is None or term.source_url.startswith(("http://", "https://"))


def test_the_bundled_file_is_in_canonical_form():
    text = (BUNDLED / GLOSSARY_FILE).read_text(encoding="utf-8")
    assert dump_glossary(load_corpus(BUNDLED).glossary) == text


BAD = """\
- acronym: QPV
  expansion: quartier prioritaire de la politique de la ville
- acronym: qpv-
  expansion: minuscules refusées
- acronym: CMP
  expansion: centre médico-psychologique
  meaning: champ inconnu
- acronym: QPV
  expansion: doublon
- acronym: FSL
- acronym: CAF
  expansion: caisse d’allocations familiales
  source:
    title: Page
    url: javascript:alert(1)
- acronym: CCAS
  expansion: centre communal d’action sociale
"""


def _folder_with(tmp_path, text: str):
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", folder)
    (folder / GLOSSARY_FILE).write_text(text, encoding="utf-8")
    return folder


def test_kb_validate_names_file_line_and_field_of_every_problem(tmp_path, runner):
    folder = _folder_with(tmp_path, BAD)
    result = runner("validate", str(folder))
    assert result.exit_code == 1
    shown = f"{folder / GLOSSARY_FILE}"
    lines = result.output.splitlines()

    def problem(line: int, field: str) -> str:
        found = [x for x in lines if x.strip().startswith(f"{shown}:{line}: [{field}]")]
        assert found, (line, field, result.output)
        return found[0]

    assert "majuscules" in problem(3, "acronym")
    assert "champ inconnu « meaning »" in problem(5, "meaning")
    assert "déjà défini ligne 1" in problem(8, "acronym")
    assert "obligatoire" in problem(10, "expansion")
    assert "http" in problem(11, "url")


def test_good_entries_are_imported_next_to_bad_ones(tmp_path, runner, runtime):
    from kb.services.glossary import glossary_pairs

    folder = _folder_with(tmp_path, BAD)
    result = runner("import", str(folder))
    assert result.exit_code == 1  # the problems are reported...
    with runtime.session(write=False) as session:
        pairs = dict(glossary_pairs(session))
    # ...and the valid entries are in kb, the first QPV winning over its duplicate.
    assert pairs == {"QPV": "quartier prioritaire de la politique de la ville",
                     "CCAS": "centre communal d’action sociale"}


def test_kb_init_loads_the_bundled_glossary_and_export_gives_it_back_byte_for_byte(
        tmp_path, runner, runtime):
    from kb.services.glossary import glossary_pairs

    assert runner("init").exit_code == 0
    with runtime.session(write=False) as session:
        pairs = glossary_pairs(session)
    assert [a for a, _ in pairs] == sorted(a for a, _ in pairs) and len(pairs) >= len(REQUIRED)
    assert ("CMP", "centre médico-psychologique") in pairs
    first, second = tmp_path / "first", tmp_path / "second"
    assert runner("export", str(first)).exit_code == 0
    exported = (first / GLOSSARY_FILE).read_bytes()
    assert exported == (BUNDLED / GLOSSARY_FILE).read_bytes()
    assert runner("import", str(first)).exit_code == 0
    assert runner("export", str(second)).exit_code == 0
    assert (second / GLOSSARY_FILE).read_bytes() == exported


def test_a_term_added_in_kb_survives_export_and_import_into_a_fresh_base(tmp_path, runner, runtime,
                                                                         database_url):
    from kb.config import Settings
    from kb.runtime import Runtime
    from kb.services.corpus import import_folder
    from kb.services.glossary import glossary_pairs, import_glossary, term_from_form

    # Typed as a moderator would (synthetic text): quotes, colons, a line break, a query string.
    record = term_from_form({"acronym": " plai ", "expansion": "prêt locatif aidé d’intégration",
                             "definition": "Définition « synthétique » : test.\nSur deux lignes.",
                             "source_title": "Titre : source synthétique",
                             "source_url": "https://exemple.org/plai?x=1&y=2"})
    assert record.acronym == "PLAI" and record.definition.endswith("test. Sur deux lignes.")
    assert runner("init").exit_code == 0
    with runtime.session() as session:
        import_glossary(session, [record])
    out = tmp_path / "out"
    assert runner("export", str(out)).exit_code == 0
    fresh = Runtime.open(Settings(database_url=database_url("fresh"), index_dir=tmp_path / "ix",
                                  corpus_dir=out))
    fresh.upgrade()
    with fresh.session() as session:
        import_folder(session, out)
    with fresh.session(write=False) as session, runtime.session(write=False) as before:
        from kb import storage

        assert storage.registry_glossary(session) == storage.registry_glossary(before)
        assert ("PLAI", "prêt locatif aidé d’intégration") in glossary_pairs(session)
    fresh.close()
