"""Point 15: behind a proxy, ``kb serve`` (waitress, one process) counted every visitor as one:
waitress dropped ``X-Forwarded-For`` because it was not told which proxy to trust.

With ``KB_PROXY_COUNT=1``, two visitors behind one proxy (the test, sending the header a
proxy would add) are counted apart, under waitress and under gunicorn alike: real servers
on 127.0.0.1, a real database shared by gunicorn's two workers (KB_RATELIMIT_STORAGE).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _kb_serve(env: dict[str, str], *options: str):
    port = _free_port()
    kb = shutil.which("kb", path=str(Path(sys.executable).parent))
    base = f"http://127.0.0.1:{port}"
    with subprocess.Popen([kb, "serve", "--port", str(port), *options],
                          env={**os.environ, **env}, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/moderation/connexion", timeout=5):
                        break
                except OSError:
                    assert server.poll() is None, server.stdout.read()
                    assert time.monotonic() < deadline, "kb serve did not answer in 60 s"
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


class Visitor:
    """A browser behind the proxy: its own cookies, its address in X-Forwarded-For."""

    def __init__(self, base: str, address: str) -> None:
        self.base, self.address = base, address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def _open(self, url: str, data: bytes | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.base + url, data=data,
                                         headers={"X-Forwarded-For": self.address})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def sign_in(self) -> int:
        _, page = self._open("/moderation/connexion")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "email": "x@exemple.fr",
                                       "password": "pas-le-bon-mot-de-passe"}).encode()
        return self._open("/moderation/connexion", form)[0]


@pytest.mark.parametrize("options", [(), ("--workers", "2")], ids=["waitress", "gunicorn"])
def test_two_visitors_behind_one_proxy_are_counted_apart(runner, env, options):
    assert runner("init").exit_code == 0
    settings = {"KB_PROXY_COUNT": "1", "KB_LOGIN_RATE": "2/hour", "KB_SECRET_KEY": "proxy-test",
                "KB_RATELIMIT_STORAGE": "database"}
    with _kb_serve({**env, **settings}, "--threads", "2", *options) as base:
        first, second = Visitor(base, "203.0.113.7"), Visitor(base, "198.51.100.2")
        assert [first.sign_in(), first.sign_in(), first.sign_in()] == [401, 401, 429]
        assert second.sign_in() == 401  # not the first visitor's limit
        assert Visitor(base, "203.0.113.7").sign_in() == 429  # the first visitor, new cookies


def test_waitress_trusts_what_proxyfix_reads_and_nothing_without_a_proxy():
    from kb.serving import waitress_proxy_options

    assert waitress_proxy_options({}) == {} and waitress_proxy_options({"PROXY_COUNT": 0}) == {}
    two = waitress_proxy_options({"PROXY_COUNT": 2})
    assert two == {"trusted_proxy": "*", "trusted_proxy_count": 2,
                   "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}
    host = waitress_proxy_options({"PROXY_COUNT": 1, "PROXY_HOST": True})
    assert "x-forwarded-host" in host["trusted_proxy_headers"]
