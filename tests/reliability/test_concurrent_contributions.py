"""200 contributions posted concurrently across 2 gunicorn workers: all stored, none lost.

A bounded load on 127.0.0.1 only: 200 posts from 20 threads, each a real
browser-like exchange (GET the form for its CSRF token and cookie, then POST).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kb.models import Contribution
from kb.services.indexing import check_index
from tests.contribute.support import valid_form

POSTS = 200
THREADS = 20
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def contribute(base: str, number: int) -> str:
    """One contributor: fetch the form, post it (confirming duplicate hints); the outcome."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/contribuer", timeout=60).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    fields = valid_form(title=f"Contribution simultanée numéro {number}",
                        summary=f"Proposition {number} envoyée pendant un test de charge synthétique.",
                        email=f"charge{number}@exemple.fr")
    fields["csrf_token"] = token
    for _ in range(2):
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        answer = opener.open(f"{base}/contribuer", data=body, timeout=60).read().decode()
        if "/contribuer/suivi/" in answer:
            return "stored"
        ack = re.search(r'name="similar_ack" value="([^"]*)"', answer)
        if not ack:
            return "refused"
        fields["similar_ack"] = ack.group(1)
    return "unconfirmed"


@pytest.mark.slow
def test_200_concurrent_contributions_on_two_workers_are_all_stored(loaded_runtime, tmp_path):
    port = free_port()
    env = {**os.environ,
           "KB_DATABASE_URL": loaded_runtime.settings.database_url,
           "KB_INDEX_DIR": str(loaded_runtime.settings.index_dir),
           "KB_SECRET_KEY": "concurrency-test-only",
           "KB_CONTRIBUTION_RATE": "100000/hour",
           "KB_MAIL_OUTBOX": str(tmp_path / "outbox")}
    server = subprocess.Popen(
        [str(GUNICORN), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "--timeout", "120", "kb:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.3)
        with ThreadPoolExecutor(THREADS) as pool:
            outcomes = list(pool.map(lambda n: contribute(base, n), range(POSTS)))
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=60)
    assert outcomes.count("stored") == POSTS, (json.dumps(outcomes[:10]), errors[-2000:])
    with loaded_runtime.session(write=False) as session:
        stored = session.scalar(select(func.count(Contribution.id)).where(
            Contribution.contributor_email.like("charge%@exemple.fr")))
        assert stored == POSTS
        assert check_index(session, loaded_runtime.index, repair=False).clean
