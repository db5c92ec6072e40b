"""kb installed from its wheel, as a packager would: outside the checkout, nothing from it.

The wheel is built the normal way (``python -m build``: an sdist, then a wheel
from that sdist, so MANIFEST.in and the build hook are both exercised), then
installed with ``--no-deps`` into a fresh virtualenv in a temporary folder. The
fresh venv sees the dependencies through a ``.pth`` line naming this test
venv's site-packages: its own site-packages comes first on ``sys.path``, and a
directory named by a ``.pth`` line is not itself scanned for ``.pth`` files, so
the editable install of the checkout stays invisible (the test checks it).
Every command runs from a working directory outside the checkout.
"""

from __future__ import annotations

import json
import os
import site
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kb.config import ROOT
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str], timeout: int = 120) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding kb from its wheel; returns the venv's folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_") and k != "PYTHONPATH"}
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", tmp / "dist", ROOT,
        cwd=tmp, env=env, timeout=300)
    wheel, = (tmp / "dist").glob("kb-*.whl")
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp, env=env)
    python = venv / "bin" / "python"
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                       cwd=tmp, env=env).strip())
    (purelib / "test-venv-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
        "--no-index", wheel, cwd=tmp, env=env)
    return venv


@pytest.fixture
def workdir(tmp_path: Path, installed: Path, database_url) -> tuple[Path, dict[str, str]]:
    """A working folder outside the checkout and the environment to run kb there."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_") and k != "PYTHONPATH"}
    env["PATH"] = f"{installed / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    if ON_POSTGRES:  # on the PostgreSQL pass, the installed kb runs on PostgreSQL too
        env["KB_DATABASE_URL"] = database_url()
    cwd = tmp_path / "site"
    cwd.mkdir()
    assert ROOT not in cwd.parents
    return cwd, env


def test_wheel_ships_resources_and_runs_outside_the_checkout(installed, workdir):
    cwd, env = workdir
    python = installed / "bin" / "python"
    where = json.loads(run(python, "-c", (
        "import json, kb, kb.config, kb.web.i18n; "
        "print(json.dumps([kb.__file__, kb.config.IN_CHECKOUT, "
        "str(kb.config.resource_dir('templates')), str(kb.config.resource_dir('practices')), "
        "str(kb.web.i18n.TRANSLATIONS)]))"), cwd=cwd, env=env))
    package = Path(where[0]).parent
    assert installed in package.parents, f"kb imported from {package}, not from the wheel"
    assert where[1] is False
    assert Path(where[2]) == package / "bundled" / "templates"
    assert (Path(where[2]) / "pages" / "home.html").is_file()
    assert (Path(where[3]) / "_organisations.yaml").is_file()
    assert (Path(where[4]) / "en" / "LC_MESSAGES" / "messages.mo").is_file()

    report = run("kb", "init", cwd=cwd, env=env)
    practices = [p for p in (ROOT / "practices").glob("*.md") if p.name != "README.md"]
    assert f"Pratiques : créées {len(practices)} ·" in report
    if not ON_POSTGRES:  # run-time state in ./instance (KB_HOME's default), not in the package
        assert (cwd / "instance" / "kb.sqlite").is_file()
    assert (cwd / "instance" / "index").is_dir()
    assert not (package / "instance").exists() and not (installed / "instance").exists()

    found = json.loads(run("kb", "search", "tranquillité", "--json", cwd=cwd, env=env))
    assert found["total"] > 0 and found["results"][0]["slug"]
    slug = found["results"][0]["slug"]

    port = free_port()
    server = subprocess.Popen(["kb", "serve", "--port", str(port)], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(f"{base}/robots.txt")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "kb serve did not answer within 30 s"
                time.sleep(0.2)
        status, home = get(f"{base}/")
        assert status == 200 and '<html lang="fr"' in home and "Rechercher" in home
        status, home_en = get(f"{base}/?lang=en")
        assert status == 200 and '<html lang="en"' in home_en and "Search" in home_en
        status, practice = get(f"{base}/pratiques/{slug}?lang=en")
        assert status == 200 and "Sources" in practice
        for path in ("/recherche?q=m%C3%A9diation", "/panorama", "/contribuer", "/a-propos?lang=en",
                     "/moderation/connexion", "/static/kb.css"):
            status, _body = get(base + path)
            assert status == 200, path
        assert (cwd / "instance" / "secret_key").is_file()
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
