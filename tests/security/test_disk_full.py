"""Point 3: with ``KB_INDEX_DIR`` on a full filesystem, a publish answered 500 although
the database had committed it, then ``/``, ``/recherche`` and ``/api/v1/search`` all
answered 500 (``OSError: [Errno 28]``): every read ran the change follower, which wrote.

Reads never need to write: the follower serves the last good index, logs the failure
and tries again after a back-off; the publish is acknowledged; once space returns, a
later read or ``kb check-index`` brings the index up to date. On a real small
filesystem (a tmpfs mounted for the test) and with ENOSPC raised at Whoosh's lowest
write call.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from whoosh.filedb.structfile import StructFile

from kb.config import Settings
from kb.services import follower
from tests.contribute.support import mod_post, pending_id, submit

TITLE = "Jardins partagés des Hortensias"  # the test form's practice
SLUG = "jardins-partages-des-hortensias"
READS = ["/", "/recherche?q=voisinage", "/api/v1/search?q=voisinage", "/recherche?q=jardinage"]


def _mount_tmpfs(target: Path, size: str) -> None:
    target.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs needs root (CAP_SYS_ADMIN)")


@pytest.fixture
def small_disk(tmp_path):
    """A real 16 MB filesystem, unmounted after the test."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CAP_SYS_ADMIN)")
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "16m")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.fixture
def settings(request, tmp_path, database_url) -> Settings:
    # The index on the small filesystem when the test asks for one, else beside the base.
    index_root = (request.getfixturevalue("small_disk") if "small_disk" in request.fixturenames
                  else tmp_path)
    return Settings(database_url=database_url(), index_dir=index_root / "index",
                    corpus_dir=Path(__file__).resolve().parents[2] / "practices")


@pytest.fixture(autouse=True)
def quick_retry(monkeypatch):
    monkeypatch.setattr(follower, "RETRY_SECONDS", 0.3)
    monkeypatch.setattr(follower, "RETRY_MAX", 0.3)


def _fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; the filler file."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (1 << 20, 65536, 4096, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    assert shutil.disk_usage(disk).free == 0
    return filler


def _publish(client, mod_client, runtime):
    submit(client)
    response = mod_post(mod_client, f"/moderation/{pending_id(runtime)}/publier")
    assert response.status_code < 500
    return response


def _reads_answer(client) -> dict[str, str]:
    pages = {}
    for url in READS:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        pages[url] = response.get_data(as_text=True)
    return pages


def test_a_full_disk_under_the_index_breaks_no_page(client, mod_client, bundled_runtime, small_disk,
                                                    caplog, runner):
    assert TITLE not in _reads_answer(client)["/recherche?q=jardinage"]
    filler = _fill(small_disk)
    caplog.set_level(logging.ERROR)
    _publish(client, mod_client, bundled_runtime)
    page = mod_client.get("/moderation").get_data(as_text=True)
    assert "La décision est enregistrée, mais l’index de recherche n’a pas pu être écrit" in page
    assert "Errno 28" in caplog.text
    started = time.process_time()
    for _ in range(3):
        pages = _reads_answer(client)
    assert time.process_time() - started < 3.0  # the back-off: no failing write a request
    assert TITLE not in pages["/recherche?q=jardinage"]  # the last good index
    assert bundled_runtime.index.ensure_ready()
    # The practice itself is published: its page answers from the database.
    assert client.get(f"/pratiques/{SLUG}").status_code == 200

    filler.unlink()
    time.sleep(0.35)  # past the back-off
    pages = _reads_answer(client)
    assert TITLE in pages["/recherche?q=jardinage"]
    result = runner("check-index")
    assert result.exit_code == 0
    assert "rien à réparer" in result.output


def test_kb_check_index_repairs_once_space_returns(client, mod_client, bundled_runtime, small_disk,
                                                   runner, monkeypatch):
    filler = _fill(small_disk)
    _publish(client, mod_client, bundled_runtime)
    assert TITLE not in client.get("/recherche?q=jardinage").get_data(as_text=True)
    result = runner("check-index")  # still full: it says so, in French, exit code 1
    assert result.exit_code == 1
    assert "n'a pas pu être écrit (No space left on device) : libérez de la place" in result.output
    filler.unlink()
    monkeypatch.setattr(follower, "RETRY_SECONDS", 3600.0)  # only check-index may repair now
    monkeypatch.setattr(follower, "RETRY_MAX", 3600.0)
    result = runner("check-index")
    assert result.exit_code == 0, result.output
    assert f"manquant : {SLUG}" in result.output
    assert TITLE in client.get("/recherche?q=jardinage").get_data(as_text=True)


def _enospc(self, *args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_enospc_at_the_lowest_write_keeps_every_read_and_publish(client, mod_client,
                                                                bundled_runtime, monkeypatch):
    _reads_answer(client)
    with monkeypatch.context() as patch:
        patch.setattr(StructFile, "write", _enospc)
        assert _publish(client, mod_client, bundled_runtime).status_code == 303
        pages = _reads_answer(client)
        assert TITLE not in pages["/recherche?q=jardinage"]
    time.sleep(0.35)
    assert TITLE in client.get("/recherche?q=jardinage").get_data(as_text=True)


def test_the_index_state_file_leaves_nothing_behind_on_a_full_disk(bundled_runtime, monkeypatch):
    index = bundled_runtime.index
    chase = follower.follower_for(index)

    def full(self, *args, **kwargs):
        self.touch()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OSError):
        chase.mark_rebuilt(1)
    assert not list(Path(index.path).glob(".changes.json.*.tmp"))
    shutil.disk_usage(index.path)  # the folder is still there
