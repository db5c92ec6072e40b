"""A real kb server in a thread and Debian's Chromium, for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
