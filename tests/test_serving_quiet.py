"""kb serve's terminal stays French: waitress' English queue warnings are off."""

from __future__ import annotations

import logging
import threading

from kb.config import Settings
from kb.runtime import Runtime
from kb.serving import _serve_waitress


def test_waitress_queue_warnings_are_silenced(tmp_path, monkeypatch):
    from waitress import server as waitress_server

    started = threading.Event()

    class Stop(Exception):
        pass

    def fake_create_server(app, **options):
        class Server:
            def run(self):
                started.set()
                raise Stop

            def close(self):
                pass
        return Server()

    monkeypatch.setattr(waitress_server, "create_server", fake_create_server)
    runtime = Runtime.open(Settings(database_url=f"sqlite:///{tmp_path / 'kb.sqlite'}",
                                    index_dir=tmp_path / "index"))
    runtime.upgrade()
    logging.getLogger("waitress.queue").setLevel(logging.NOTSET)
    try:
        _serve_waitress(runtime, "127.0.0.1", 0, 1, lambda: None)
    except Stop:
        pass
    finally:
        runtime.close()
    assert started.is_set()
    assert not logging.getLogger("waitress.queue").isEnabledFor(logging.WARNING)
