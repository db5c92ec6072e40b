"""Bulk work on the second core (``kb.forked``): same results, in order, as one process.

Each case runs in a fresh interpreter: a fork happens only where no other thread
runs, which a test session full of servers cannot promise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=300)


MAP = """
import json, os
from kb.forked import map_in_two
parent = os.getpid()
out = map_in_two(lambda x: (x * x, os.getpid() == parent), list(range(101)), minimum=10)
print(json.dumps(out))
"""


def test_the_second_half_is_computed_by_a_child_and_comes_back_in_order():
    done = run(MAP)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [square for square, _ in out] == [x * x for x in range(101)]
    assert [here for _, here in out] == [True] * 50 + [False] * 51


FAIL = """
from kb.forked import map_in_two
def boom(x):
    if x == 90:
        raise ValueError("fichier illisible")
    return x
map_in_two(boom, list(range(100)), minimum=10)
"""


def test_a_failure_in_the_child_fails_the_command_with_its_traceback():
    done = run(FAIL)
    assert done.returncode != 0
    assert "ValueError: fichier illisible" in done.stderr
    assert "the second process failed" in done.stderr


LOAD = """
import json, sys
from pathlib import Path
from dataclasses import asdict
from kb.corpus import load, load_corpus
load.PARALLEL_FROM = int(sys.argv[2])
corpus = load_corpus(Path(sys.argv[1]))
print(json.dumps({"practices": [asdict(p) for p in corpus.practices],
                  "events": [asdict(e) for e in corpus.events],
                  "problems": [asdict(p) for p in corpus.problems],
                  "rejected": sorted(corpus.rejected), "paths": corpus.paths}, default=str))
"""


def test_a_corpus_read_in_two_processes_equals_one_read_in_one(tmp_path):
    sys.path.insert(0, str(ROOT))
    from tests.benchmarks.gen_corpus import write_practices

    folder = tmp_path / "corpus"
    write_practices(80, folder, seed=4)
    (folder / "zz-sans-titre.md").write_text("---\nsummary: x\n---\nCorps.\n", encoding="utf-8")
    (folder / "zz-binaire.md").write_bytes(b"\xff\xfe---\n")
    first = sorted(folder.glob("*.md"))[0]
    (folder / "zz-doublon.md").write_text(first.read_text(encoding="utf-8").replace(
        "---\n", f"---\nslug: {first.stem}\n", 1), encoding="utf-8")
    events = folder / "rendez-vous"
    events.mkdir()
    for source in (ROOT / "practices" / "rendez-vous").glob("*.md"):
        (events / source.name).write_bytes(source.read_bytes())
    serial, split = run(LOAD, str(folder), "100000"), run(LOAD, str(folder), "10")
    assert serial.returncode == 0 and split.returncode == 0, serial.stderr + split.stderr
    got = json.loads(split.stdout)
    assert got == json.loads(serial.stdout)
    assert len(got["practices"]) == 80 and len(got["rejected"]) == 3 and got["events"]
