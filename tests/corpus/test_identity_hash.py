"""The identity hash stored with every practice must not move between releases:
a re-import compares it to tell an unchanged file, so a new formula would mark
every practice of an existing base as updated."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

from kb.corpus import load_corpus
from kb.storage.practices import _plain

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repo root, for tests.benchmarks
from tests.benchmarks.gen_corpus import write_practices  # noqa: E402


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def test_plain_records_hash_as_dataclasses_asdict_did(tmp_path):
    bundled = load_corpus(ROOT / "practices")
    write_practices(60, tmp_path, seed=3)  # synthetic write-ups: partners, sources, years
    synthetic = load_corpus(tmp_path)
    records = [*bundled.practices, *bundled.events, *synthetic.practices]
    assert len(bundled.practices) >= 20 and bundled.events and len(synthetic.practices) == 60
    for record in records:
        assert _digest(_plain(record)) == _digest(asdict(record)), record.slug
