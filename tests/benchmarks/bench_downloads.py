"""Home-page latency while PDF and CSV downloads run (issue 22, point 4), on SYNTHETIC practices.

    .venv/bin/python -m tests.benchmarks.bench_downloads --size 3000

Run by hand (not collected by pytest). In a scratch folder: ``gen_corpus`` writes
``--size`` practice files, the first ``--big`` of them with a body at the form's
maximum (``kb.corpus.load.BODY_MAX``); ``kb import``; ``kb serve --threads 12``
(waitress, one process). Then:

1. ``/`` alone, ``--rounds`` times: p50 / max;
2. each download alone, timed, and the server's CPU seconds for it: a sheet's PDF
   the first time (rendered), the second time (kept), ``/recherche.csv?q=logement``;
3. 8 downloads at once in a loop (4 PDFs of big practices, kept after their first
   render, and 4 CSVs) while ``/`` is asked ``--rounds`` times: p50 / max.

The machine's load average is printed with the figures (a shared machine moves them).
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from tests.benchmarks.bench_http import KB, cpu_seconds, free_port, load, wait_ready
from tests.benchmarks.bench_search import percentile


def get(port: int, path: str, timeout: float = 120) -> tuple[int, float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, (time.perf_counter() - t) * 1000, len(body)


def home_latencies(port: int, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        status, ms, _ = get(port, "/")
        assert status == 200, status
        out.append(ms)
        time.sleep(0.05)
    return out


def main() -> None:
    from kb.corpus.load import BODY_MAX
    from tests.benchmarks.gen_corpus import write_practices

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--big", type=int, default=8, help="practices with a maximal body")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-downloads-") as tmp:
        work = Path(tmp)
        items = write_practices(args.size, work / "practices")
        big = [p.slug for p in items[:args.big]]
        for slug in big:  # a body at the maximum: paragraphs of the file's own text
            path = work / "practices" / f"{slug}.md"
            text = path.read_text(encoding="utf-8")
            head, _, body = text.partition("\n---\n")
            paragraph = body.strip().replace("## ", "") + "\n\n"
            filled = (paragraph * (BODY_MAX // len(paragraph) + 1))[:BODY_MAX - 200].rsplit(" ", 1)[0]
            path.write_text(f"{head}\n---\n\n## Contexte\n\n{filled}\n", encoding="utf-8")
        env = {**os.environ, "KB_DATABASE_URL": f"sqlite:///{work / 'kb.sqlite'}",
               "KB_INDEX_DIR": str(work / "index"), "KB_HOME": str(work),
               "KB_SECRET_KEY": "benchmark-only", "KB_PDF_RATE": "100000/minute"}
        subprocess.run([KB, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([KB, "import", str(work / "practices")], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        proc = subprocess.Popen([KB, "serve", "--threads", "12", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(port, proc, "/")
            print(f"{args.size} practices, {len(big)} with a {BODY_MAX:,}-character body ({load()})")
            alone = home_latencies(port, args.rounds)
            print(f"/ alone: p50 {percentile(alone, 0.5):.1f} ms, max {max(alone):.1f} ms")
            for label, path in (("PDF, rendered", f"/pratiques/{big[0]}/fiche.pdf"),
                                ("PDF, kept", f"/pratiques/{big[0]}/fiche.pdf"),
                                ("CSV ?q=logement", "/recherche.csv?q=logement"),
                                ("CSV, everything", "/recherche.csv")):
                before = cpu_seconds(proc.pid)
                status, ms, size = get(port, path)
                cpu = cpu_seconds(proc.pid) - before
                print(f"{label}: HTTP {status}, {ms:.0f} ms wall, {cpu:.2f} s server CPU, "
                      f"{size / 1e6:.2f} MB")
            for slug in big[1:4]:
                get(port, f"/pratiques/{slug}/fiche.pdf")  # rendered once, then kept
            stop = threading.Event()
            done: list[tuple[str, int, float]] = []

            def download(path: str) -> None:
                while not stop.is_set():
                    status, ms, _ = get(port, path)
                    done.append((path, status, ms))

            paths = [f"/pratiques/{slug}/fiche.pdf" for slug in big[:4]] + [
                "/recherche.csv?q=logement"] * 4
            threads = [threading.Thread(target=download, args=(p,)) for p in paths]
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            busy = home_latencies(port, args.rounds)
            stop.set()
            for thread in threads:
                thread.join()
            statuses = sorted({s for _, s, _ in done})
            csv_ms = [ms for p, _, ms in done if p.endswith("logement")]
            pdf_ms = [ms for p, _, ms in done if p.endswith(".pdf")]
            print(f"/ with 8 downloads at once: p50 {percentile(busy, 0.5):.1f} ms, "
                  f"max {max(busy):.1f} ms; {len(done)} downloads (HTTP {statuses}), "
                  f"CSV p50 {percentile(csv_ms, 0.5):.0f} ms, PDF p50 {percentile(pdf_ms, 0.5):.0f} ms "
                  f"({load()})")
        finally:
            proc.terminate()
            proc.wait(timeout=60)


if __name__ == "__main__":
    main()
