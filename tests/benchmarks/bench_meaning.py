"""The meaning layer on SYNTHETIC practices: vector build, and HTTP latency with and without it.

    PYTHONPATH=$PWD .venv/bin/python -m tests.benchmarks.bench_meaning --sizes 10000

Run by hand (not collected by pytest). For each size, in a scratch folder:

1. ``gen_corpus.py`` writes the practice files; ``kb db upgrade``;
2. ``KB_MEANING=0 kb import`` (timed: the practices searchable by their words);
3. ``kb embed`` (timed: every vector made, on two cores);
4. ``kb reindex`` (timed; it must compute no vector: its output says so);
5. ``kb serve`` twice over the same base, ``KB_MEANING=0`` then ``KB_MEANING=1``,
   answering ``/api/v1/search`` for the mixed queries of ``bench_search.QUERIES``
   and then for queries whose words no practice holds together (weak answers, the
   only ones the meaning layer works on): p50 / p95 and the worker's RSS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from tests.benchmarks import bench_http
from tests.benchmarks.bench_http import KB, load, report, timed_command
from tests.benchmarks.gen_corpus import write_practices

# Weak answers on the synthetic corpus: words that are never together (or nowhere).
WEAK = ["calmer les querelles de palier", "payer moins cher le chauffage",
        "occuper les ados pendant les congés", "patrouilles après le coucher du soleil",
        "retaper son appartement soi-même", "punir les fauteurs de troubles",
        "embaucher des chômeurs du voisinage", "un toit pour des malades psychiatriques",
        "appartements pour fauteuil roulant", "que les gens touchent leurs prestations"]


def bench_size(n: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix=f"kb-meaning-{n}-") as tmp:
        work = Path(tmp)
        write_practices(n, work / "practices")
        env = {**os.environ, "KB_DATABASE_URL": f"sqlite:///{work / 'kb.sqlite'}",
               "KB_INDEX_DIR": str(work / "index"), "KB_SECRET_KEY": "benchmark-only"}
        subprocess.run([KB, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
        for label, command, extra in (
                ("kb import (KB_MEANING=0)", ["import", str(work / "practices")], {"KB_MEANING": "0"}),
                ("kb embed", ["embed"], {}),
                ("kb reindex", ["reindex"], {})):
            at = load()
            wall, cpu = timed_command([KB, *command], {**env, **extra})
            print(f"{n:>6} {label:<26} {wall:6.1f} s wall, {cpu:6.1f} s CPU  ({at})", flush=True)
        out = subprocess.run([KB, "reindex"], env=env, capture_output=True, text=True).stdout
        print(f"{n:>6} kb reindex output: {out.strip()!r}", flush=True)
        mixed = bench_http.paths()
        weak = [f"/api/v1/search?{urlencode([('q', q)])}" for q in WEAK]
        for name, targets in (("mixed", mixed), ("weak", weak)):
            bench_http.paths = lambda targets=targets: targets  # serve_and_measure's targets
            for flag in ("0", "1"):
                r = bench_http.serve_and_measure(
                    [KB, "serve", "--threads", str(bench_http.THREADS)],
                    {**env, "KB_MEANING": flag}, rounds)
                report(n, f"{name} M={flag}", r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for n in args.sizes:
        bench_size(n, args.rounds)


if __name__ == "__main__":
    main()
