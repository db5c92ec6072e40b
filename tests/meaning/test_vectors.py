"""Vectors are made once per content, stored in the database, never recomputed for nothing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from kb.models import Practice, PracticeVector
from kb.search import meaning as model
from kb.services import meaning


@pytest.fixture
def own(runtime):
    """A fresh database with the bundled corpus, without vectors yet."""
    from kb.config import ROOT
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    with runtime.session() as session:
        import_folder(session, ROOT / "practices")
    with runtime.session(write=False) as session:
        rebuild_index(session, runtime.index)
    return runtime


def _rows(session) -> int:
    return session.scalar(select(func.count(PracticeVector.id)))


def test_vectors_are_stored_by_content_hash_and_not_recomputed_on_reindex(own, env):
    from kb.cli import main

    with own.session() as session:
        published = session.scalar(select(func.count(Practice.id)).where(Practice.published))
        assert meaning.missing_count(session) == published  # lexical only until now
        before = model.calls
        assert meaning.embed_missing(session) == published
        made = model.calls - before
        rows = _rows(session)
        assert rows == made and published <= rows <= published * model.MAX_PASSAGES
        assert meaning.missing_count(session) == 0

    before = model.calls
    result = CliRunner().invoke(main, ["reindex"], env=env, catch_exceptions=False)
    assert result.exit_code == 0 and "vectorisée" not in result.output
    result = CliRunner().invoke(main, ["embed"], env=env, catch_exceptions=False)
    assert result.exit_code == 0 and "0 pratique(s) vectorisée(s)." in result.output
    assert model.calls == before  # nothing encoded again

    # A second host: no matrix in memory, the same database: read, not computed.
    meaning._cache.clear()
    with own.session(write=False) as session:
        held = meaning.practices(session)
    assert len(held.slugs) == published and held.missing == 0 and model.calls == before

    # One practice changes: its vectors alone are made, the old ones pruned by kb embed.
    slug = "equipe-mobile-tranquillite-residentielle-3f"
    with own.session() as session:
        session.execute(update(Practice).where(Practice.slug == slug)
                        .values(summary="Un autre résumé de l'équipe mobile."))
    result = CliRunner().invoke(main, ["embed"], env=env, catch_exceptions=False)
    assert "1 pratique(s) vectorisée(s)." in result.output
    assert 1 <= model.calls - before <= model.MAX_PASSAGES
    with own.session(write=False) as session:
        assert _rows(session) == rows  # same passage count: old content pruned


def test_a_practice_without_vectors_is_served_lexically(own):
    from kb.services.search import search_practices

    slug = "optima-mediateurs-de-nuit-rennes"
    with own.session() as session:
        meaning.embed_missing(session)
        texts = model.passages(*session.execute(select(Practice.title, Practice.summary,
                                                       Practice.body)
                                                .where(Practice.slug == slug)).one())
        session.execute(PracticeVector.__table__.delete().where(
            PracticeVector.content_hash == model.content_hash(texts)))
    with own.session(write=False) as session:
        held = meaning.practices(session)
        assert slug not in held.slugs and held.missing == 1
        found = search_practices(session, own.index, "médiateurs de nuit Rennes")
        assert found.hits[0].slug == slug and not found.hits[0].by_meaning
        # Not offered by meaning: "calmer les querelles" finds other mediation sheets.
        weak = search_practices(session, own.index, "calmer les querelles entre voisins de palier")
        assert slug not in {h.slug for h in weak.hits if h.by_meaning}
