"""``SearchIndex``: the only object the service layer talks to.

Data flow: the service layer hands published practices (``IndexDocument``) to
``rebuild``/``upsert``/``delete``; ``search`` turns a ``SearchQuery`` into a
``SearchResponse``. The database is the truth; this index can always be rebuilt
from it (``ensure_ready()`` says when it must be).

Readers keep one searcher per process and reopen it when the index changed
(``up_to_date()``; never ``Searcher.refresh()``, broken in the Whoosh forks).
Searches in one process are serialised by a lock: Whoosh file handles are not
safe to share between threads.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from traceback import format_exc  # a string: no traceback (and open file) kept alive
from typing import Any

from kb.search.documents import (
    FACETS,
    DeferredDocuments,
    Hit,
    IndexDocument,
    SearchQuery,
    SearchResponse,
)
from kb.search.matching import Matcher
from kb.search.rebuild import build
from kb.search.schema import to_fields
from kb.search.snapshot import Snapshot
from kb.search.store import IndexStore, quiet_leaks

log = logging.getLogger(__name__)

STABLE_NS = 2_000_000_000  # see SearchIndex._snapshot

MSG_UNAVAILABLE = "La recherche est momentanément indisponible. Réessayez dans un instant."


class SearchError(RuntimeError):
    """The engine failed on a query it accepted (a bug or a damaged index; logged)."""


def _empty(message: str | None = None) -> SearchResponse:
    return SearchResponse(0, [], {f: [] for f in FACETS}, None, message)


class SearchIndex:
    """A French full-text index of published practices, with facets."""

    def __init__(self, path: Path, *, writer_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._store = IndexStore(self.path, writer_timeout)
        self._lock = threading.RLock()
        self._pid = os.getpid()
        self._ix = None
        self._gen: str | None = None
        self._searcher = None
        self._snap: Snapshot | None = None
        self._segment_cache: dict = {}
        self._checked: tuple | None = None  # the stamp of the last full check (see _snapshot)

    # -- reader side ---------------------------------------------------------

    def _drop(self) -> None:
        if self._searcher is not None and self._pid == os.getpid():
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._ix = self._searcher = self._snap = None
        self._gen = None
        self._segment_cache = {}
        self._checked = None
        self._pid = os.getpid()

    def _stamp(self) -> tuple | None:
        """What changes when the index does: CURRENT (replaced by a rebuild) and the live
        generation's folder (Whoosh adds a table of contents at each commit)."""
        try:
            current = os.stat(self.path / "CURRENT")
            folder = os.stat(self.path / self._gen) if self._gen else None
        except OSError:
            return None
        return (current.st_ino, current.st_mtime_ns, current.st_size,
                folder.st_mtime_ns if folder else 0)

    def _snapshot(self) -> Snapshot | None:
        """The current snapshot, reopened if the index changed (call under the lock).

        Two ``stat`` calls answer most searches: when neither file changed since a full
        check, and both were last modified well before that check (a change within the
        timestamps' resolution of the check could otherwise go unseen), the snapshot
        stands; else CURRENT is read and Whoosh lists the folder (``up_to_date``).
        """
        if self._pid != os.getpid():  # forked: never share file handles with the parent
            self._drop()
        stamp = self._stamp()
        if stamp is not None and stamp == self._checked and self._snap is not None:
            return self._snap
        self._checked = None
        snap = self._open_snapshot()
        if snap is not None and stamp is not None and stamp == self._stamp():
            settled = time.time_ns() - max(stamp[1], stamp[3]) > STABLE_NS
            self._checked = stamp if settled else None
        return snap

    def _open_snapshot(self) -> Snapshot | None:
        gen = self._store.current_name()
        if gen != self._gen:
            self._drop()
            self._ix = self._store.open_current()
            self._gen = gen
            if self._ix is None:
                return None
        elif self._ix is None:
            return None
        elif self._snap is not None and self._searcher.up_to_date():
            return self._snap
        old = self._searcher
        self._searcher = self._ix.searcher()
        if old is not None:
            old.close()
        self._snap = Snapshot(self._searcher, self._segment_cache)
        return self._snap

    def ensure_ready(self) -> bool:
        """True if the index can be searched; False if missing, unreadable or outdated."""
        with self._lock, quiet_leaks() as failed:
            try:
                return self._probe()
            except Exception:
                failed.append(True)
                log.warning("search index at %s is unreadable:\n%s", self.path, format_exc())
                self._drop()
            return False

    def _probe(self) -> bool:
        snap = self._snapshot()
        if snap is None:
            return False
        reader = snap.reader
        for docnum in range(min(snap.n, 3)):
            if not reader.is_deleted(docnum):
                snap.searcher.stored_fields(docnum)
        for term in itertools.islice(reader.lexicon("title"), 3):  # not the whole lexicon
            list(reader.postings("title", term).all_ids())
        return True

    def fingerprints(self) -> dict[str, str]:
        """slug -> fingerprint of every indexed practice."""
        with self._lock:
            snap = self._snapshot()
            if snap is None:
                return {}
            return {f["slug"]: f.get("fingerprint", "") for f in snap.reader.all_stored_fields()}

    # -- writer side ---------------------------------------------------------

    def rebuild(self, docs: Iterable[IndexDocument] | DeferredDocuments,
                progress: Callable[[int], None] | None = None) -> int:
        """Index ``docs`` (``DeferredDocuments``: each made by the process indexing
        it) into a new generation, then make it live atomically.

        ``progress`` receives the number of documents done so far.
        """
        if isinstance(docs, DeferredDocuments):
            slugs = docs.slugs
        else:
            docs = list(docs)
            slugs = [d.slug for d in docs]
        if len(set(slugs)) != len(slugs):
            duplicate = next(s for s, n in Counter(slugs).items() if n > 1)
            raise ValueError(f"duplicate slug {duplicate!r}")
        with self._store.write_lock():
            name, building = self._store.new_building_dir()
            try:
                ix = IndexStore.create_empty(building)
                build(ix, building, docs, progress)
                ix.close()
                self._store.publish(name, building)
            except BaseException:
                shutil.rmtree(building, ignore_errors=True)
                raise
        if progress:
            progress(len(docs))
        return len(docs)

    def upsert(self, docs: Iterable[IndexDocument]) -> None:
        """Add or replace practices by slug."""
        fields = [to_fields(d) for d in docs]
        if not fields:
            return
        with self._store.write_lock():
            ix = self._store.ensure_writable()
            writer = ix.writer(timeout=self._store.writer_timeout)
            for f in fields:
                writer.update_document(**f)
            writer.commit()
            ix.close()

    def delete(self, slugs: Iterable[str]) -> None:
        """Remove practices by slug (unknown slugs are ignored)."""
        slugs = list(slugs)
        if not slugs:
            return
        with self._store.write_lock():
            ix = self._store.ensure_writable()
            writer = ix.writer(timeout=self._store.writer_timeout)
            for slug in slugs:
                writer.delete_by_term("slug", slug)
            writer.commit()
            ix.close()

    # -- queries -------------------------------------------------------------

    def search(self, q: SearchQuery) -> SearchResponse:
        """Search. Input the engine refuses or trims gives a French ``message``;
        any other failure is logged with the query and raised as ``SearchError``
        (a 500 upstream), never dressed up as an empty answer."""
        from kb.search.searching import run_search

        def run(snap: Snapshot) -> SearchResponse:
            if q.text.strip() or q.filters:
                return run_search(snap, q)
            # Browsing everything (home page, the search box's hints on every page)
            # asks the same few questions until the index changes.
            key = (q.limit, q.offset, q.sort)
            found = snap.browse_memo.get(key)
            if found is None:
                if len(snap.browse_memo) >= 32:
                    snap.browse_memo.clear()
                found = snap.browse_memo[key] = run_search(snap, q)
            return found

        return self._read(run, _empty(MSG_UNAVAILABLE), f"search for {q!r}")

    def more_like(self, slug: str, limit: int = 5) -> list[Hit]:
        """Practices related to ``slug`` (by its most distinctive words)."""
        from kb.search.searching import related

        def run(snap: Snapshot) -> list[Hit]:
            docnum = snap.searcher.document_number(slug=slug)
            if docnum is None:
                return []
            stored = snap.searcher.stored_fields(docnum)
            text = " ".join([stored.get("title", "")] * 2 + [stored.get("summary", ""),
                                                             stored.get("body_text", "")])
            return related(Matcher(snap), text, limit, exclude=docnum)

        return self._read(run, [], f"more_like {slug!r}")

    def suggest_similar(self, title: str, summary: str, limit: int = 5) -> list[Hit]:
        """Published practices resembling a contribution (duplicate hints)."""
        from kb.search.searching import related

        return self._read(lambda snap: related(Matcher(snap), f"{title} {title} {summary}", limit),
                          [], f"suggest_similar {title[:100]!r}")

    def _read(self, run: Callable[[Snapshot], Any], missing: Any, what: str) -> Any:
        """``run(snapshot)``; ``missing`` without an index; a failure is logged and raised."""
        with self._lock, quiet_leaks() as failed:
            try:
                snap = self._snapshot()
                return missing if snap is None else run(snap)
            except Exception:
                failed.append(True)
                log.error("%s failed:\n%s", what, format_exc())
                self._drop()
            raise SearchError(f"{what} failed")


def response_to_json(resp: SearchResponse) -> dict:
    """The JSON shape the CLI prints for a response.

    ``partial``, ``missing_terms``, each result's ``missing_terms`` and then
    ``unknown_terms`` were added to the original shape (total, results, facets,
    suggestion), which is unchanged.
    """
    return {
        "total": resp.total,
        "results": [{"slug": h.slug, "title": h.title, "score": h.score, "snippet": h.snippet,
                     "missing_terms": list(h.missing)}
                    for h in resp.hits],
        "facets": {name: [{"value": c.value, "label": c.label, "count": c.count}
                          for c in values] for name, values in resp.facets.items()},
        "suggestion": resp.suggestion,
        "partial": resp.partial,
        "missing_terms": list(resp.missing_terms),
        "expanded": list(resp.expanded),  # added with the thesaurus
        "unknown_terms": list(resp.unknown_terms),
    }


