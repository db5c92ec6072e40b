"""What partial matching costs, on SYNTHETIC practices (``gen_corpus``).

    .venv/bin/python -m tests.benchmarks.bench_partial --sizes 1000 10000

Queries whose words rarely, or never, meet in one practice: kb then adds the
practices matching some of the words (``searching._partial_pool``). Each is
timed twice on the same index, with partial matching on and switched off
(``_partial_pool`` returning None), and the p50/p95 of both are printed with
the share partial matching adds. The second figure set is the whole bench
query list of ``bench_search`` (where partial matching rarely applies).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from unittest import mock

from kb.search import SearchIndex, SearchQuery, searching
from tests.benchmarks.bench_search import QUERIES, percentile, timed
from tests.benchmarks.gen_corpus import generate

PARTIAL = [
    "équipe mobile signalement nuit", "sécurité des halls", "prévention jeunes quartier goutte",
    "compost psychiatrie", "huissier squat énergie", "médiation compost jeunes",
    "tranquillité résidentielle quartier zorglub", "santé mentale huissier emploi",
    "comment lutter contre les squats dans les halls", "que faire face aux impayés de loyer",
    "gardien voisinage compost psychiatrie", "insertion énergie squat",
]


def run(index: SearchIndex, queries: list[str], repeat: int) -> list[float]:
    return [timed(lambda q=q: index.search(SearchQuery(q, limit=10)), repeat)[0] for q in queries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            index = SearchIndex(Path(tmp) / "index")
            index.rebuild(generate(size))
            partial_share = sum(index.search(SearchQuery(q)).partial for q in PARTIAL)
            for name, queries in (("partial-prone", PARTIAL),
                                  ("bench_search list", [q for q, _ in QUERIES])):
                on = run(index, queries, args.repeat)
                with mock.patch.object(searching, "_partial_pool", lambda found, within: None):
                    off = run(index, queries, args.repeat)
                p50on, p95on = percentile(on, 0.5), percentile(on, 0.95)
                p50off, p95off = percentile(off, 0.5), percentile(off, 0.95)
                print(f"{size:>6} {name:<18} partial on p50 {p50on:6.1f} ms p95 {p95on:6.1f} ms | "
                      f"off p50 {p50off:6.1f} ms p95 {p95off:6.1f} ms | "
                      f"total time +{100 * (sum(on) / sum(off) - 1):.0f} %")
            print(f"{size:>6} partial results given for {partial_share}/{len(PARTIAL)} "
                  "partial-prone queries")


if __name__ == "__main__":
    main()
