"""Search benchmark on SYNTHETIC practices: kb's SearchIndex vs straightforward Whoosh.

    .venv/bin/python -m tests.benchmarks.bench_search --sizes 1000 10000

For each size: reindex time, kb search p50/p95 (query + all facets + snippets of
the top 10), the same queries through a plain Whoosh setup (stock French
analyzer, MultifieldParser, ``groupedby`` facets, highlights of the top 10,
reused searcher), and publish-to-searchable latency (upsert one practice, then
search until found). There is no result cache in kb; each query's latency is
the median of ``--repeat`` runs after one warm-up. ``import_time_hook`` writes the
corpus as practice files and times the service layer's import and reindex.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kb.search import SearchIndex, SearchQuery
from tests.benchmarks.gen_corpus import to_document, write_practices

WORDS = [
    "tranquillité", "tranquillite", "expulsion", "expulsions", "médiation", "mediation",
    "insertion", "jeunes", "gardien", "impayés", "impayes", "santé", "quartier", "emploi",
    "CCAPEX", "QPV", "FSL", "voisinage", "énergie", "locataires", "huissier", "psychiatrie",
    "compost", "squat",
]
PAIRS = [
    "dette locative", "santé mentale", "médiation nuit", "chantiers éducatifs",
    "paris habitat", "I3F emploi", "personnes âgées", "visites domicile", "gestion déchets",
    "lien social", "seine saint denis", "uni voisins",
]
PHRASES = [
    '"mise en œuvre"', '"pied d\'immeuble"', '"santé mentale"', '"lien social"',
    '"tranquillité résidentielle"', '"dettes locatives"', '"quartier prioritaire"',
    '"médiation de nuit"', '"gestion urbaine de proximité"', '"atelier chantier d\'insertion"',
    '"conseiller en economie sociale et familiale"', '"accès aux droits"',
]
FILTERED = [
    ("expulsion", {"theme": ("impayes-et-prevention-des-expulsions",)}),
    ("jeunes", {"theme": ("jeunesse",)}),
    ("médiation", {"city": ("paris",)}),
    ("emploi", {"landlord": ("immobiliere-3f",)}),
    ("gardien", {"theme": ("tranquillite-residentielle", "mediation-et-lien-social")}),
    ("santé", {"audience": ("seniors",)}),
    ("énergie", {"theme": ("transition-ecologique",), "city": ("lyon",)}),
    ("", {"theme": ("jeunesse",)}),
    ("", {"city": ("rouen",), "status": ("en-cours",)}),
    ("locataires", {"year": ("2019", "2020")}),
    ("huissier dette", {"landlord": ("paris-habitat",)}),
    ('"lien social"', {"theme": ("mediation-et-lien-social",)}),
]
QUERIES: list[tuple[str, dict]] = (
    [(w, {}) for w in WORDS] + [(p, {}) for p in PAIRS] + [(p, {}) for p in PHRASES] + FILTERED
)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(wall, CPU) milliseconds: the median of ``repeat`` runs after a warm-up.

    CPU is this thread's CPU time (``time.thread_time``): on a shared, loaded
    machine the wall time includes waiting for a core; the CPU time does not.
    """
    fn()  # warm-up
    walls, cpus = [], []
    for _ in range(repeat):
        c = time.thread_time()
        t = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.thread_time() - c)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def cpu_seconds() -> float:
    """CPU seconds of this process and of its waited-for children (parallel indexing)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def import_time_hook(folder: Path, workdir: Path | None = None) -> dict:
    """Import the practice files of ``folder`` through the service layer, then reindex.

    A fresh SQLite database in ``workdir``: ``Runtime.open`` + ``upgrade``, then
    ``kb.services.corpus.import_folder`` in one session (timed, commit included),
    then ``kb.services.indexing.rebuild_index`` (timed as a whole and split into
    DB -> documents and documents -> index). Seconds.
    """
    from kb.config import Settings
    from kb.runtime import Runtime
    from kb.services import corpus as corpus_service
    from kb.services import indexing

    workdir = workdir or folder.parent
    settings = Settings(database_url=f"sqlite:///{workdir / 'kb.sqlite'}",
                        index_dir=workdir / "svc-index", corpus_dir=folder)
    runtime = Runtime.open(settings)
    try:
        runtime.upgrade()
        t = time.perf_counter()
        with runtime.session() as s:
            report = corpus_service.import_folder(s, folder)
        imported = time.perf_counter() - t
        if report.errors:
            raise RuntimeError(f"import problems: {report.errors[:3]}")
        with runtime.session(write=False) as s:
            t = time.perf_counter()
            docs = indexing.published_documents(s)
            to_docs = time.perf_counter() - t
            t = time.perf_counter()
            count = indexing.rebuild_index(s, runtime.index)
            reindex = time.perf_counter() - t
        return {"import": imported, "svc_reindex": reindex, "db_to_docs": to_docs,
                "indexed": count, "docs": len(docs)}
    finally:
        runtime.close()


def bench_kb(docs, workdir: Path, repeat: int) -> dict:
    index = SearchIndex(workdir / "kb-index")
    c = cpu_seconds()
    t = time.perf_counter()
    index.rebuild(docs)
    reindex = time.perf_counter() - t
    reindex_cpu = cpu_seconds() - c
    index.ensure_ready()
    both = [timed(lambda q=q, f=f: index.search(SearchQuery(q, filters=f)), repeat)
            for q, f in QUERIES]
    lat = [w for w, _ in both]
    cpu = [c for _, c in both]
    # The first search on a freshly opened index (new process after a publish):
    # reopening the reader and building its per-segment data included.
    fresh = SearchIndex(workdir / "kb-index")
    t = time.perf_counter()
    fresh.search(SearchQuery(QUERIES[0][0]))
    first = time.perf_counter() - t
    # publish-to-searchable: one new practice, upserted, then found by a search.
    new = dataclasses.replace(docs[0], slug="pratique-publiee-zzz",
                              title="Pratique publiée xylophonique (synthétique)")
    t = time.perf_counter()
    index.upsert([new])
    while index.search(SearchQuery("xylophonique")).total < 1:
        time.sleep(0.001)
    publish = time.perf_counter() - t
    return {"reindex": reindex, "reindex_cpu": reindex_cpu, "lat": lat, "cpu": cpu,
            "publish": publish, "first": first}


def bench_plain_whoosh(docs, workdir: Path, repeat: int) -> dict:
    """The straightforward setup from the research notes (stock analyzer, groupedby)."""
    from whoosh import index, qparser, sorting
    from whoosh.analysis import (
        CharsetFilter,
        LowercaseFilter,
        RegexTokenizer,
        StemFilter,
        StopFilter,
    )
    from whoosh.fields import ID, KEYWORD, TEXT, Schema
    from whoosh.highlight import ContextFragmenter, HtmlFormatter
    from whoosh.lang import stopwords_for_language
    from whoosh.query import And, Every, Or, Term
    from whoosh.support.charset import accent_map

    ana = (RegexTokenizer(r"\w+") | LowercaseFilter()
           | StopFilter(stoplist=stopwords_for_language("fr"), minsize=2)
           | CharsetFilter(accent_map) | StemFilter(lang="fr"))
    schema = Schema(
        slug=ID(stored=True, unique=True),
        title=TEXT(stored=True, analyzer=ana, field_boost=3.0),
        summary=TEXT(stored=True, analyzer=ana, field_boost=2.0),
        body=TEXT(stored=True, analyzer=ana),
        theme=KEYWORD(stored=True, commas=True), landlord=KEYWORD(stored=True, commas=True),
        city=KEYWORD(stored=True, commas=True), audience=KEYWORD(stored=True, commas=True),
        status=ID(stored=True), evidence=ID(stored=True), year=ID(stored=True),
    )
    folder = workdir / "plain"
    folder.mkdir()
    ix = index.create_in(str(folder), schema)
    t = time.perf_counter()
    w = ix.writer(limitmb=256)
    for d in docs:
        w.add_document(
            slug=d.slug, title=d.title, summary=d.summary, body=d.body,
            theme=",".join(n.slug for n in d.themes),
            landlord=",".join(n.slug for n in d.landlords),
            city=",".join(n.slug for n in d.cities),
            audience=",".join(n.slug for n in d.audiences),
            status=d.status.slug if d.status else "", evidence=d.evidence.slug if d.evidence else "",
            year=str(d.start_year or ""),
        )
    w.commit()
    reindex = time.perf_counter() - t
    qp = qparser.MultifieldParser(["title", "summary", "body"], schema)
    qp.remove_plugin_class(qparser.WildcardPlugin)
    qp.remove_plugin_class(qparser.FieldsPlugin)
    searcher = ix.searcher()
    facets = {name: sorting.FieldFacet(name, allow_overlap=name in ("theme", "landlord", "city",
                                                                   "audience"))
              for name in ("theme", "landlord", "city", "audience", "status", "evidence", "year")}

    def run(q: str, f: dict):
        parsed = qp.parse(q) if q else Every()
        filt = And([Or([Term(k, v) for v in vs]) for k, vs in f.items()]) if f else None
        r = searcher.search(parsed, filter=filt, groupedby=facets, maptype=sorting.Count)
        r.fragmenter = ContextFragmenter(maxchars=200, surround=40)
        r.formatter = HtmlFormatter(tagname="mark")
        out = [(h["title"], h.highlights("body", top=2)) for h in r[:10]]
        for name in facets:
            r.groups(name)
        return out

    both = [timed(lambda q=q, f=f: run(q, f), repeat) for q, f in QUERIES]
    searcher.close()
    return {"reindex": reindex, "lat": [w for w, _ in both], "cpu": [c for _, c in both]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-import", action="store_true", help="skip the service-layer import")
    args = parser.parse_args()
    print(f"{len(QUERIES)} queries; latency = median of {args.repeat} runs after a warm-up (ms)")
    header = (f"{'docs':>6} | {'kb p50':>7} {'kb p95':>7} {'kb max':>7} | {'cpu p50':>7} "
              f"{'cpu p95':>7} {'cpu max':>7} | {'whoosh p50':>10} {'whoosh p95':>10} "
              f"{'(cpu)':>11} | {'kb reindex':>10} {'(cpu)':>7} {'whoosh reindex':>14} | "
              f"{'publish':>8}")
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "practices"
            docs = [to_document(p) for p in write_practices(n, folder)]
            kb = bench_kb(docs, Path(tmp), args.repeat)
            base = None if args.no_baseline else bench_plain_whoosh(docs, Path(tmp), args.repeat)
            svc = None if args.no_import else import_time_hook(folder, Path(tmp))
        slow = sorted(zip(kb["cpu"], kb["lat"], QUERIES, strict=True), key=lambda x: x[0])[-5:]
        print(f"size {n}: slowest kb queries (cpu/wall ms): "
              + ", ".join(f"{q!r}{'+filters' if f else ''} {c:.1f}/{w:.1f}"
                          for c, w, (q, f) in slow))
        print(f"size {n}: first search on a fresh reader {kb['first'] * 1000:.0f} ms")
        if svc:
            print(f"size {n}: service import {svc['import']:.1f}s ({svc['docs']} published); "
                  f"service reindex {svc['svc_reindex']:.1f}s (of which DB -> documents "
                  f"{svc['db_to_docs']:.1f}s)")
        rows.append((n, kb, base))
    print(header)
    for n, kb, base in rows:
        if base:
            b = (f"{percentile(base['lat'], .5):10.1f} {percentile(base['lat'], .95):10.1f} "
                 f"{percentile(base['cpu'], .5):5.1f}/{percentile(base['cpu'], .95):5.1f}")
            brx = f"{base['reindex']:13.1f}s"
        else:
            b, brx = f"{'-':>10} {'-':>10} {'-':>11}", f"{'-':>14}"
        print(f"{n:>6} | {percentile(kb['lat'], .5):7.1f} {percentile(kb['lat'], .95):7.1f} "
              f"{max(kb['lat']):7.1f} | {percentile(kb['cpu'], .5):7.1f} "
              f"{percentile(kb['cpu'], .95):7.1f} {max(kb['cpu']):7.1f} | {b} | "
              f"{kb['reindex']:9.1f}s {kb['reindex_cpu']:6.1f}s {brx} | "
              f"{kb['publish'] * 1000:6.0f}ms")

if __name__ == "__main__":
    main()
