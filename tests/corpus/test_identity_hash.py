"""The identity hash stored with every practice must not move between releases:
a re-import compares it to tell an unchanged file, so a new formula would mark
every practice of an existing base as updated."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from kb.corpus import load_corpus
from kb.models import Base
from kb.storage.practices import _plain, identity_hash
from kb.storage.resolver import Resolver

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


# The hashes these fixture files had when this test was written: a change of formula,
# of the plain form, or of how labels and organisations are resolved moves them.
PINNED = {
    "alpha-mediation": "6092d896e1cbdd6eb75f9c68879dad3ca665616cfa48001d5335b7a83502dc76",
    "beta-insertion": "5f226c69b547ff06b976122db469d67821e62251d92b47139b4a9a318bd77416",
    "rencontre-test": "d08da9a08986de877fa5b39bdebf32397e27884c0b0038f35d5bc6657912b92f",
}


def test_identity_hash_of_fixed_records_does_not_move():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    corpus = load_corpus(ROOT / "tests" / "fixtures" / "corpus")
    with Session(engine) as session:
        resolver = Resolver(session)
        got = {r.slug: identity_hash(r, resolver) for r in [*corpus.practices, *corpus.events]}
    engine.dispose()
    assert got == PINNED
