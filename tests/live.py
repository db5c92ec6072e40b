"""A real kb server in a thread, Debian's Chromium and the Nu HTML Checker, for end-to-end tests.

Each external tool is found here, by one setting shared with scripts/test.sh, and
every test that needs one uses the marks and helpers below.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kb.config import ROOT

# The external tools, found here and in scripts/test.sh by the same settings:
# KB_CHROMIUM (Debian's Chromium), KB_JAVA (a command or a path), KB_VNU_JAR (from npm).
CHROMIUM = Path(os.environ.get("KB_CHROMIUM") or "/usr/bin/chromium")
JAVA = shutil.which(os.environ.get("KB_JAVA") or "java")
VNU = Path(os.environ.get("KB_VNU_JAR") or ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
# As root and offline: no sandbox, and none of Chromium's own network chatter.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"Chromium is not installed at {CHROMIUM} (KB_CHROMIUM)")
needs_nu_checker = pytest.mark.skipif(
    JAVA is None or not VNU.exists(),
    reason=f"the Nu checker needs java (KB_JAVA) and {VNU} (KB_VNU_JAR; `npm ci` at the project root)")


def nu_check(files: Iterable[Path | str]) -> None:
    """Fail with the Nu HTML Checker's errors on ``files``, if it finds any."""
    assert JAVA and VNU.exists(), "the Nu checker needs java (KB_JAVA) and vnu.jar (KB_VNU_JAR)"
    result = subprocess.run([JAVA, "-jar", str(VNU), "--errors-only", "--format", "gnu",
                             *map(str, files)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve ``app`` with waitress, as ``kb serve`` does, on a free port of 127.0.0.1.

    Yields the base URL. Werkzeug's development server was used before; it leaked an
    open static file whenever Chromium dropped a connection mid-response, which the
    suite's warnings-as-errors then blamed on whichever test was running.
    """
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=8, ident="")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        _stop(server)
        thread.join(timeout=10)


def _stop(server) -> None:
    # waitress has no public stop for a server run in a thread: closing every
    # dispatcher of its map ends the loop (the recipe of WebTest's StopableWSGIServer).
    logging.getLogger("waitress").setLevel(logging.CRITICAL)
    try:
        while server._map:
            for dispatcher in list(server._map.values()):
                dispatcher.handle_close()
        server.maintenance(0)
        server.task_dispatcher.shutdown()
    finally:
        logging.getLogger("waitress").setLevel(logging.NOTSET)
