"""Index and database stay equal: across processes, machines and repairs."""

from __future__ import annotations

from kb import storage
from kb.config import Settings
from kb.corpus import PracticeRecord
from kb.runtime import Runtime
from kb.search import SearchQuery
from kb.services.indexing import check_index, rebuild_index, sync_index
from kb.services.search import search_practices


def publish(runtime, slug: str, word: str, published: bool = True) -> None:
    record = PracticeRecord(slug=slug, title=f"Pratique {word}", summary=f"Résumé {word}.",
                            themes=["Thème synthétique"], cities=["Lyon"],
                            landlords=["Bailleur synthétique"], body=f"Corps {word}.")
    with runtime.session() as session:
        resolver = storage.Resolver(session)
        existing = storage.get_practice(session, slug, published_only=False)
        storage.save_practice(session, resolver, record, existing, published=published)


def found(runtime, text: str) -> list[str]:
    with runtime.session(write=False) as session:
        return [h.slug for h in search_practices(session, runtime.index, text).hits]


def test_a_practice_published_through_one_instance_is_found_through_another(
        loaded_runtime, tmp_path):
    """Two kb instances share one database, each with its own index folder."""
    other = Runtime.open(Settings(database_url=loaded_runtime.settings.database_url,
                                  index_dir=tmp_path / "other-index",
                                  corpus_dir=loaded_runtime.settings.corpus_dir))
    with other.session(write=False) as session:
        rebuild_index(session, other.index)
    assert found(other, "zanzibar") == []
    publish(loaded_runtime, "pratique-zanzibar", "zanzibar")
    assert found(other, "zanzibar") == ["pratique-zanzibar"]
    publish(loaded_runtime, "pratique-zanzibar", "zanzibar", published=False)
    assert found(other, "zanzibar") == []
    other.close()


def test_a_change_saved_without_an_index_sync_is_found_through_the_change_log(loaded_runtime):
    publish(loaded_runtime, "pratique-quetzal", "quetzal")
    assert found(loaded_runtime, "quetzal") == ["pratique-quetzal"]
    with loaded_runtime.session(write=False) as session:
        assert check_index(session, loaded_runtime.index).clean


def test_check_index_reports_and_repairs_missing_stale_and_extra(loaded_runtime):
    index = loaded_runtime.index
    index.delete(["alpha-mediation"])
    with loaded_runtime.session() as session:
        storage.get_practice(session, "beta-insertion").title = "Titre changé"
    with loaded_runtime.session(write=False) as session:
        from kb.services.indexing import published_documents

        docs = published_documents(session, ["beta-insertion"])
    ghost = docs[0].__class__(**{**docs[0].__dict__, "slug": "fantome", "fingerprint": "x"})
    index.upsert([ghost])
    with loaded_runtime.session(write=False) as session:
        result = check_index(session, index, repair=False)
        assert (result.missing, result.stale, result.extra) == (
            ["alpha-mediation"], ["beta-insertion"], ["fantome"])
        check_index(session, index)
        assert check_index(session, index, repair=False).clean


def test_a_publish_in_one_worker_is_found_by_another_sharing_the_index(loaded_runtime):
    """Two workers of one machine: same database, same index folder, each its own searcher."""
    import time

    other = Runtime.open(loaded_runtime.settings)
    try:
        assert found(other, "ornithorynque") == []  # the other worker's searcher is open
        publish(loaded_runtime, "pratique-ornithorynque", "ornithorynque")
        with loaded_runtime.session(write=False) as session:
            sync_index(session, loaded_runtime.index, ["pratique-ornithorynque"])
        # Straight to the index: no change-log catch-up, only the reader reopening.
        start = time.monotonic()
        assert other.index.search(SearchQuery(text="ornithorynque")).total == 1
        assert time.monotonic() - start < 1.0
    finally:
        other.close()


def test_following_a_large_import_rebuilds_and_finds_every_practice(loaded_runtime, tmp_path):
    """Another process imported 250 practices: the follower rebuilds rather than
    upserting them one by one, and the change log is applied once."""
    import json
    import sys
    from pathlib import Path

    from kb.services.corpus import import_folder

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.benchmarks.gen_corpus import write_practices

    index_dir = loaded_runtime.settings.index_dir
    generation = (index_dir / "CURRENT").read_text()
    many = write_practices(250, tmp_path / "many", seed=8)
    with loaded_runtime.session() as session:
        import_folder(session, tmp_path / "many")  # no index sync: as another process would
    target = many[-1]
    assert target.slug in found(loaded_runtime, f'"{target.title}"')
    assert (index_dir / "CURRENT").read_text() != generation
    with loaded_runtime.session(write=False) as session:
        latest = storage.latest_change(session)
        assert check_index(session, loaded_runtime.index, repair=False).clean
    assert json.loads((index_dir / "changes.json").read_text())["applied"] == latest
