"""The bundled corpus imported into a real database and index, with its vectors made."""

from __future__ import annotations

import pytest

from kb.config import ROOT, Settings


@pytest.fixture(scope="package")
def bundled(tmp_path_factory):
    from kb.runtime import Runtime
    from kb.services import meaning
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    tmp = tmp_path_factory.mktemp("meaning")
    rt = Runtime.open(Settings(database_url=f"sqlite:///{tmp / 'kb.sqlite'}",
                               index_dir=tmp / "index", corpus_dir=ROOT / "practices"))
    rt.upgrade()
    with rt.session() as session:
        import_folder(session, ROOT / "practices")
    with rt.session(write=False) as session:
        rebuild_index(session, rt.index)
    with rt.session() as session:
        meaning.embed_missing(session)
    yield rt
    rt.close()


@pytest.fixture(scope="package")
def client(bundled):
    from kb import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "test"}, runtime=bundled).test_client()
