"""The database unavailable for a moment: a clear 503, then recovery without a restart."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url

from kb import create_app
from kb.config import Settings
from kb.runtime import Runtime
from kb.services.corpus import import_folder
from kb.services.indexing import rebuild_index

from .tcp_proxy import TcpProxy

ON_POSTGRES = os.environ.get("KB_DATABASE_URL", "").startswith("postgresql")


@pytest.mark.skipif(not ON_POSTGRES, reason="plays a PostgreSQL server going away")
def test_requests_get_503_while_the_database_is_down_then_recover(database_url, corpus_dir,
                                                                   tmp_path):
    url = make_url(database_url())
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    port = proxy.start()
    via_proxy = url.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    runtime = Runtime.open(Settings(database_url=via_proxy, index_dir=tmp_path / "ix",
                                    corpus_dir=corpus_dir))
    try:
        runtime.upgrade()
        with runtime.session() as session:
            import_folder(session, corpus_dir)
        with runtime.session(write=False) as session:
            rebuild_index(session, runtime.index)
        client = create_app({"TESTING": True}, runtime=runtime).test_client()
        assert client.get("/").status_code == 200

        proxy.stop()
        page = client.get("/recherche?q=synthetique")
        assert page.status_code == 503
        assert "indisponible" in page.get_data(as_text=True)
        assert page.headers["Retry-After"]
        api = client.get("/api/v1/practices")
        assert api.status_code == 503 and "error" in api.get_json()

        proxy.start()
        assert client.get("/").status_code == 200
        assert client.get("/recherche?q=synthetique").status_code == 200
    finally:
        proxy.stop()
        runtime.close()
