"""HTTP benchmark on SYNTHETIC practices: ``kb serve`` vs straightforward Whoosh behind the same server.

    .venv/bin/python -m tests.benchmarks.bench_http --sizes 1000 10000
    .venv/bin/python -m tests.benchmarks.bench_http --sizes 50000 --rounds 2   # once, by hand

Run by hand (not collected by pytest). For each size, in a scratch folder:

1. ``tests/benchmarks/gen_corpus.py`` writes the practice files;
2. ``kb db upgrade``, then ``kb import`` (timed: what the user waits for, index
   included), then ``kb reindex`` (timed);
3. ``kb serve`` (waitress, one process) answers ``/api/v1/search`` for the mixed
   queries of ``bench_search.QUERIES`` (words, pairs, phrases, filters; facets
   and snippets in every answer), over one keep-alive connection, ``--rounds``
   times after a warm-up round: p50 / p95 / max, and the RSS of the worker;
4. the same queries against plain Whoosh (stock French analyzer,
   ``MultifieldParser``, ``groupedby`` facets, highlights of the top 10, one
   reused searcher) served by the same waitress, with the same JSON shape.

The machine's load average is printed with every figure: on a shared machine
the wall times move with it, so compare runs made at similar load.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from tests.benchmarks.bench_search import QUERIES, percentile

KB = str(Path(sys.executable).with_name("kb"))
THREADS = 4


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def paths() -> list[str]:
    """The API path of every benchmark query (``q`` plus repeated filters)."""
    out = []
    for text, filters in QUERIES:
        params = [("q", text)] + [(k, v) for k, values in filters.items() for v in values]
        out.append(f"/api/v1/search?{urlencode(params)}")
    return out


def timed_command(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of a ``kb`` command, its own children included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                  if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_ready(port: int, proc: subprocess.Popen, path: str) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server not ready after 600 s")


def measure(port: int, targets: list[str], rounds: int,
            pid: int) -> tuple[list[float], float, list[float]]:
    """Latencies (ms) of ``rounds`` passes over ``targets`` after one first pass, the
    server's CPU milliseconds per request over those passes (steadier than wall time on
    a loaded machine), and the latencies of the first pass: every query new to the
    server, its per-index caches (decoded postings, result documents) still cold."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies = []
    first = []
    cpu = 0.0
    for round_ in range(rounds + 1):
        if round_ == 1:
            cpu = cpu_seconds(pid)
        for path in targets:
            t = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - t) * 1000
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status} {body[:200]!r}")
            (latencies if round_ else first).append(elapsed)
    conn.close()
    return latencies, (cpu_seconds(pid) - cpu) * 1000 / len(latencies), first


def serve_and_measure(command: list[str], env: dict[str, str], rounds: int) -> dict:
    port = free_port()
    targets = paths()
    proc = subprocess.Popen([*command, "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Ready means answering; the first query is then asked again, as new, in the first pass.
        wait_ready(port, proc, "/api/v1/search?q=")
        lat, cpu, first = measure(port, targets, rounds, proc.pid)
        rss, peak = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {"p50": percentile(lat, 0.5), "p95": percentile(lat, 0.95), "max": max(lat),
            "cold50": percentile(first, 0.5), "cold95": percentile(first, 0.95),
            "n": len(lat), "cpu": cpu, "rss": rss, "peak": peak, "load": load()}


def bench_size(n: int, rounds: int, whoosh: bool, serve_options: list[str],
               reindex: bool = True) -> None:
    from tests.benchmarks.gen_corpus import write_practices

    with tempfile.TemporaryDirectory(prefix=f"kb-http-{n}-") as tmp:
        work = Path(tmp)
        write_practices(n, work / "practices")
        env = {**os.environ, "KB_DATABASE_URL": f"sqlite:///{work / 'kb.sqlite'}",
               "KB_INDEX_DIR": str(work / "index"), "KB_SECRET_KEY": "benchmark-only"}
        subprocess.run([KB, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
        at = load()
        wall, cpu = timed_command([KB, "import", str(work / "practices")], env)
        print(f"{n:>6} kb import   {wall:6.1f} s wall, {cpu:6.1f} s CPU  ({at})", flush=True)
        if reindex:
            at = load()
            wall, cpu = timed_command([KB, "reindex"], env)
            print(f"{n:>6} kb reindex  {wall:6.1f} s wall, {cpu:6.1f} s CPU  ({at})", flush=True)
        kb = serve_and_measure([KB, "serve", "--threads", str(THREADS), *serve_options], env, rounds)
        report(n, "kb serve", kb)
        if whoosh:
            shutil.rmtree(work / "index")
            plain = serve_and_measure(
                [sys.executable, "-m", "tests.benchmarks.bench_http", "--plain-whoosh-server",
                 str(n), str(work / "plain")], env, rounds)
            report(n, "plain Whoosh", plain)


def report(n: int, name: str, r: dict) -> None:
    print(f"{n:>6} {name:<12} /api/v1/search p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
          f"max {r['max']:7.1f} ms  server CPU {r['cpu']:5.1f} ms/request  ({r['n']} requests; "
          f"first pass p50 {r['cold50']:.1f} ms, p95 {r['cold95']:.1f} ms)  "
          f"worker RSS {r['rss']:.0f} MiB "
          f"(peak {r['peak']:.0f})  ({r['load']})", flush=True)


# -- the plain Whoosh server (a subprocess of this script) -------------------------------


def plain_whoosh_app(n: int, folder: Path):
    """A WSGI app answering /api/v1/search with a stock Whoosh setup over the same corpus."""
    from whoosh import index, qparser, sorting
    from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
    from whoosh.fields import ID, KEYWORD, TEXT, Schema
    from whoosh.highlight import ContextFragmenter, HtmlFormatter
    from whoosh.lang import stopwords_for_language
    from whoosh.query import And, Every, Or, Term
    from whoosh.support.charset import accent_map

    from tests.benchmarks.gen_corpus import generate

    ana = (RegexTokenizer(r"\w+") | LowercaseFilter()
           | StopFilter(stoplist=stopwords_for_language("fr"), minsize=2)
           | CharsetFilter(accent_map) | StemFilter(lang="fr"))
    names = ("theme", "landlord", "city", "audience", "status", "evidence", "year")
    schema = Schema(
        slug=ID(stored=True, unique=True), title=TEXT(stored=True, analyzer=ana, field_boost=3.0),
        summary=TEXT(stored=True, analyzer=ana, field_boost=2.0), body=TEXT(stored=True, analyzer=ana),
        **{name: KEYWORD(stored=True, commas=True) for name in names[:4]},
        **{name: ID(stored=True) for name in names[4:]},
    )
    folder.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(folder), schema)
    writer = ix.writer(limitmb=256)
    for d in generate(n):
        writer.add_document(
            slug=d.slug, title=d.title, summary=d.summary, body=d.body,
            theme=",".join(x.slug for x in d.themes), landlord=",".join(x.slug for x in d.landlords),
            city=",".join(x.slug for x in d.cities), audience=",".join(x.slug for x in d.audiences),
            status=d.status.slug if d.status else "", evidence=d.evidence.slug if d.evidence else "",
            year=str(d.start_year or ""))
    writer.commit()
    parser = qparser.MultifieldParser(["title", "summary", "body"], schema)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    searcher = ix.searcher()
    facets = {name: sorting.FieldFacet(name, allow_overlap=name in names[:4]) for name in names}

    def app(environ, start_response):
        from urllib.parse import parse_qs

        args = parse_qs(environ.get("QUERY_STRING", ""))
        text = args.get("q", [""])[0]
        wanted = {k: v for k, v in args.items() if k in names}
        query = parser.parse(text) if text else Every()
        filt = And([Or([Term(k, v) for v in vs]) for k, vs in wanted.items()]) if wanted else None
        results = searcher.search(query, filter=filt, groupedby=facets, maptype=sorting.Count)
        results.fragmenter = ContextFragmenter(maxchars=200, surround=40)
        results.formatter = HtmlFormatter(tagname="mark")
        body = json.dumps({
            "total": len(results),
            "results": [{"slug": h["slug"], "title": h["title"], "score": h.score,
                         "snippet": h.highlights("body", top=2)} for h in results[:10]],
            "facets": {name: [{"value": v, "label": v, "count": c}
                              for v, c in sorted(results.groups(name).items(),
                                                 key=lambda x: -x[1])] for name in names},
            "suggestion": None,
        }, ensure_ascii=False).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    return app


def serve_plain_whoosh(n: int, folder: Path, port: int) -> None:
    from waitress.server import create_server

    server = create_server(plain_whoosh_app(n, folder), host="127.0.0.1", port=port,
                           threads=THREADS, ident="")
    server.run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=5, help="measured passes over the queries")
    parser.add_argument("--no-whoosh", action="store_true", help="skip the plain Whoosh server")
    parser.add_argument("--no-reindex", action="store_true", help="skip timing kb reindex")
    parser.add_argument("--existing", nargs=2, metavar=("DATABASE_URL", "INDEX_DIR"),
                        help="only measure kb serve on a base already imported (one size)")
    parser.add_argument("--serve-option", action="append", default=[],
                        help="extra option for kb serve (e.g. --serve-option=--workers=2)")
    parser.add_argument("--plain-whoosh-server", nargs=2, metavar=("N", "DIR"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_whoosh_server:
        serve_plain_whoosh(int(args.plain_whoosh_server[0]), Path(args.plain_whoosh_server[1]),
                           args.port)
        return
    print(f"{len(QUERIES)} mixed queries x {args.rounds} rounds per size, one keep-alive "
          f"connection; servers: waitress, {THREADS} threads, one process. SYNTHETIC corpus.")
    if args.existing:
        env = {**os.environ, "KB_DATABASE_URL": args.existing[0], "KB_INDEX_DIR": args.existing[1],
               "KB_SECRET_KEY": "benchmark-only"}
        report(args.sizes[0], "kb serve", serve_and_measure(
            [KB, "serve", "--threads", str(THREADS), *args.serve_option], env, args.rounds))
        return
    for n in args.sizes:
        bench_size(n, args.rounds, not args.no_whoosh, args.serve_option, not args.no_reindex)


if __name__ == "__main__":
    main()
