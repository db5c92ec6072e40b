"""Importing folders: identity of labels and aliases, idempotence, lossless round trip."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from kb import storage
from kb.models import Organisation, Place, Practice, Theme
from kb.services.corpus import export_folder, import_folder


def do_import(runtime, folder: Path):
    with runtime.session() as session:
        return import_folder(session, folder)


def test_import_creates_every_valid_file(runtime, corpus_dir):
    report = do_import(runtime, corpus_dir)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (3, 0, 0, 0)
    assert report.problems == []


def test_labels_differing_by_accents_case_or_spacing_are_one_value(runtime, corpus_dir):
    do_import(runtime, corpus_dir)
    with runtime.session() as session:
        themes = session.scalars(select(Theme)).all()
        cities = session.scalars(select(Place).where(Place.kind == "city")).all()
        assert sorted(t.label for t in themes) == ["Insertion et emploi", "Tranquillité résidentielle"]
        assert sorted(c.label for c in cities) == ["Rouen", "Saint-Étienne"]


def test_best_written_label_wins_whatever_the_order(runtime, tmp_path, corpus_dir):
    (corpus_dir / "_themes.yaml").unlink()
    do_import(runtime, corpus_dir)
    with runtime.session() as session:
        theme = session.scalar(select(Theme).where(Theme.slug == "tranquillite-residentielle"))
        assert theme.label == "Tranquillité résidentielle"


def test_aliases_resolve_to_one_organisation(runtime, corpus_dir):
    do_import(runtime, corpus_dir)
    with runtime.session() as session:
        practices = {p.slug: p for p in storage.find_practices(session)}
        alpha = practices["alpha-mediation"].orgs("landlord")[0].organisation
        beta = practices["beta-insertion"].orgs("landlord")[0].organisation
        assert alpha.id == beta.id and alpha.name == "Office Test Habitat"
        event = storage.find_events(session)[0]
        assert event.organisers[0].organisation.name == "Association Exemple"


def test_registry_applies_to_a_later_import_of_another_folder(runtime, corpus_dir, tmp_path):
    do_import(runtime, corpus_dir)
    other = tmp_path / "autre"
    other.mkdir()
    (other / "gamma.md").write_text(
        "---\ntitle: G\nsummary: S\nthemes: [X]\nlandlords: [office test]\ncities: [Lyon]\n---\n",
        encoding="utf-8")
    report = do_import(runtime, other)
    assert report.created == 1
    with runtime.session() as session:
        assert session.scalar(select(func.count(Organisation.id))) == 2
        gamma = storage.get_practice(session, "gamma")
        assert gamma.orgs("landlord")[0].organisation.name == "Office Test Habitat"


def test_unknown_name_becomes_a_new_organisation(runtime, corpus_dir):
    text = (corpus_dir / "beta-insertion.md").read_text(encoding="utf-8")
    (corpus_dir / "beta-insertion.md").write_text(text.replace("Office Test\n", "Bailleur Neuf\n"),
                                                  encoding="utf-8")
    do_import(runtime, corpus_dir)
    with runtime.session() as session:
        org = session.scalar(select(Organisation).where(Organisation.slug == "bailleur-neuf"))
        assert org is not None and org.kind == "bailleur social" and not org.in_registry


def test_import_is_idempotent_and_detects_changes(runtime, corpus_dir):
    do_import(runtime, corpus_dir)
    again = do_import(runtime, corpus_dir)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    path = corpus_dir / "alpha-mediation.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Texte synthétique.", "Nouveau."),
                    encoding="utf-8")
    changed = do_import(runtime, corpus_dir)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert changed.changed == ["alpha-mediation"]
    with runtime.session() as session:
        assert "Nouveau." in storage.get_practice(session, "alpha-mediation").body


def test_bad_file_is_rejected_and_others_still_imported(runtime, corpus_dir):
    (corpus_dir / "casse.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    report = do_import(runtime, corpus_dir)
    assert report.created == 3 and report.rejected == 1
    assert any(p.path.endswith("casse.md") for p in report.problems)


def test_inspired_by_an_unknown_practice_is_rejected(runtime, corpus_dir):
    path = corpus_dir / "beta-insertion.md"
    path.write_text(path.read_text(encoding="utf-8").replace("- alpha-mediation", "- inconnue"),
                    encoding="utf-8")
    report = do_import(runtime, corpus_dir)
    assert report.rejected == 1
    assert any(p.field == "inspired_by" and "inconnue" in p.message for p in report.problems)


def records(runtime):
    with runtime.session() as session:
        return ([storage.practice_record(p) for p in storage.find_practices(session)],
                [storage.event_record(e) for e in storage.find_events(session)])


def test_export_import_round_trip_is_lossless(runtime, corpus_dir, tmp_path, database_url):
    do_import(runtime, corpus_dir)
    before = records(runtime)
    first, second = tmp_path / "export1", tmp_path / "export2"
    with runtime.session() as session:
        export_folder(session, first)
    from kb.config import Settings
    from kb.runtime import Runtime

    fresh = Runtime.open(Settings(database_url=database_url("fresh"),
                                  index_dir=tmp_path / "ix2", corpus_dir=first))
    fresh.upgrade()
    report = do_import(fresh, first)
    assert report.problems == [] and report.created == 3
    assert records(fresh) == before
    with fresh.session() as session:
        export_folder(session, second)
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert do_import(runtime, first).unchanged == 3
    fresh.close()


def test_unpublished_practice_is_not_exported(runtime, corpus_dir, tmp_path):
    do_import(runtime, corpus_dir)
    with runtime.session() as session:
        session.scalar(select(Practice).where(Practice.slug == "beta-insertion")).published = False
    with runtime.session() as session:
        export_folder(session, tmp_path / "out")
    assert not (tmp_path / "out" / "beta-insertion.md").exists()
    assert (tmp_path / "out" / "alpha-mediation.md").exists()
