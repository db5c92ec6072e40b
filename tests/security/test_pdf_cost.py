"""Point 4: a sheet's PDF was rendered on every download (1.6 s of CPU at the body
maximum; 8 at once made ``/`` take 15.7 s). It is now rendered once per published
state of the sheet and kept, and renders are bounded per client and per process."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import update

from kb.models import Practice
from kb.web import practices

from .support import cpu

SLUG = "collectif-solution-uni-voisins"
URL = f"/pratiques/{SLUG}/fiche.pdf"


@pytest.fixture
def app_config(tmp_path) -> dict:
    return {"TESTING": True, "SECRET_KEY": "test", "PDF_RATE": "3/minute",
            "PDF_DIR": str(tmp_path / "pdf")}


def test_a_pdf_is_rendered_once_and_kept(client, bundled_runtime, tmp_path):
    first, rendering = cpu(client.get, URL)
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    kept = list((tmp_path / "pdf" / SLUG).glob("*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == first.data
    again, served = cpu(client.get, URL)
    assert again.data == first.data
    assert served < rendering / 3, (served, rendering)
    # A new published state of the sheet: a new PDF, the old one dropped.
    with bundled_runtime.session() as session:
        session.execute(update(Practice).where(Practice.slug == SLUG)
                        .values(title="Collectif Solution Uni’Voisins, nouvelle édition"))
    changed = client.get(URL)
    assert changed.status_code == 200 and changed.data != first.data
    now = list((tmp_path / "pdf" / SLUG).glob("*.pdf"))
    assert len(now) == 1 and now[0] != kept[0]
    assert not list((tmp_path / "pdf" / SLUG).glob(".*"))  # no temporary file left


def test_renders_are_limited_per_client_served_copies_are_not(client, tmp_path):
    for _ in range(3):
        assert client.get(URL).status_code == 200
        for kept in (tmp_path / "pdf" / SLUG).glob("*.pdf"):
            kept.unlink()  # every download a render
    refused = client.get(URL)
    assert refused.status_code == 429 and refused.headers.get("Retry-After")
    other = client.get(URL, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 200


def test_renders_at_once_are_bounded(client, monkeypatch):
    busy = threading.BoundedSemaphore(1)
    busy.acquire()
    monkeypatch.setattr(practices, "_renders", busy)
    refused = client.get(URL)
    assert refused.status_code == 503 and refused.headers.get("Retry-After") == "5"
    assert "réessayez dans quelques secondes" in refused.get_data(as_text=True)
