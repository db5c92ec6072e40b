"""``kb serve``: the web app behind a production WSGI server.

One process (the default) runs waitress, pure Python and portable, with a pool
of threads and no ``Server`` header. Several processes run gunicorn (Unix only):
each worker opens its own database engine and index after the fork, so no
connection or file handle is shared between processes.

Behind reverse proxies (``KB_PROXY_COUNT``), both servers hand the app the
same ``X-Forwarded-*`` headers and the app's ProxyFix (kb.web.security) picks
the client address from them. gunicorn passes them through; waitress drops
them unless told to trust proxies, so it is told: that many hops, any peer
(the same trust as ProxyFix's), the headers ProxyFix reads and no others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ServerUnavailable(Exception):
    """The server asked for cannot run here (e.g. gunicorn on Windows)."""


def serve_app(runtime: Any, host: str, port: int, *, threads: int = 4, workers: int = 1,
              announce: Callable[[], None] = lambda: None) -> None:
    """Serve kb on ``host:port`` until interrupted."""
    if workers > 1:
        _serve_gunicorn(runtime, host, port, threads, workers, announce)
    else:
        _serve_waitress(runtime, host, port, threads, announce)


def _freeze_startup_heap() -> None:
    """Move what start-up built (modules, classes, the app) out of the collector's reach.

    Those objects live as long as the process; without this, every full collection
    walks them again during requests (gc.freeze, as the Python docs advise servers).
    """
    import gc

    gc.collect()
    gc.freeze()


def _serve_waitress(runtime: Any, host: str, port: int, threads: int,
                    announce: Callable[[], None]) -> None:
    from waitress.server import create_server

    from kb import create_app

    app = create_app(runtime=runtime)
    _freeze_startup_heap()
    # ident="" leaves out the Server header; the banner tells attackers nothing useful.
    server = create_server(app, host=host, port=port, threads=threads, ident="",
                           clear_untrusted_proxy_headers=True, **waitress_proxy_options(app.config))
    announce()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def waitress_proxy_options(config: Any) -> dict[str, Any]:
    """waitress's proxy settings for the app's ``PROXY_COUNT`` and ``PROXY_HOST``.

    waitress keeps the last ``trusted_proxy_count`` hops of each header it trusts,
    and ProxyFix, configured with the same count, reads the same hop from them.
    """
    proxies = int(config.get("PROXY_COUNT") or 0)
    if proxies <= 0:
        return {}
    headers = {"x-forwarded-for", "x-forwarded-proto"}
    if config.get("PROXY_HOST"):
        headers.add("x-forwarded-host")
    return {"trusted_proxy": "*", "trusted_proxy_count": proxies,
            "trusted_proxy_headers": headers}


def _serve_gunicorn(runtime: Any, host: str, port: int, threads: int, workers: int,
                    announce: Callable[[], None]) -> None:
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as exc:  # gunicorn needs fcntl: absent on Windows
        raise ServerUnavailable(
            "plusieurs processus demandent gunicorn, indisponible ici : "
            "lancez « kb serve » sans --workers (un processus, plusieurs fils)") from exc

    from kb import create_app
    from kb.runtime import Runtime

    settings = runtime.settings
    # Build (and check the index) once in this process before forking, then drop
    # its connections: each worker opens its own.
    create_app(runtime=runtime)
    runtime.close()

    class KbApplication(BaseApplication):
        def load_config(self) -> None:
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                               "accesslog": None, "loglevel": "warning"}.items():
                self.cfg.set(key, value)

        def load(self):  # noqa: ANN202 - gunicorn calls it in each worker
            app = create_app(runtime=Runtime.open(settings))
            _freeze_startup_heap()
            return app

    announce()
    KbApplication().run()
