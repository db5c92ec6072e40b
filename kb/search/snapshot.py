"""Per-reader data, built once per index generation and reused by every search.

Sets of documents are *byte masks*: a Python int whose bit ``8 * docnum`` is set
when the document is in the set. ``int.from_bytes`` turns a bytearray of 0/1
into one in C, ``&``/``|`` combine them in C and ``bit_count()`` counts them, so
facet counts are one AND + popcount per facet value instead of a loop over the
matching documents.

Per-segment data (facet masks, length norms, sort keys) is cached by segment id:
segments never change once written (deletions are applied through the live
mask), so publishing one practice only reads the new small segment.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from itertools import compress, repeat

import numpy as np

from kb.search.schema import FACET_FIELDS, TEXT_FIELDS
from kb.search.whoosh_reading import field_lengths, read_postings

K1 = 1.2
B = 0.75


# Decoded postings kept per snapshot, least recently used dropped past this many
# (docnum, frequency) entries (12 bytes each: about 36 MB at most). Decoding a
# frequent word's blocks (zlib, pickle) costs more than scoring them.
POSTINGS_BUDGET = 3_000_000
DOCUMENTS_KEPT = 1000  # stored fields and analysed words of recent results (about 40 kB each)
_EMPTY = (np.zeros(0, np.int32), np.zeros(0, np.float64))


def ids_to_mask(ids, n: int) -> int:
    if isinstance(ids, np.ndarray):
        buf = np.zeros(n, np.uint8)
        buf[ids] = 1
        return int.from_bytes(buf.tobytes(), "little")
    buf = bytearray(n)
    deque(map(buf.__setitem__, ids, repeat(1)), maxlen=0)  # the loop runs in C
    return int.from_bytes(buf, "little")


def mask_flags(mask: int, n: int) -> np.ndarray:
    """A byte mask as a boolean array of ``n`` documents."""
    return np.frombuffer(mask.to_bytes(n, "little"), np.uint8).view(np.bool_)


def mask_ids(mask: int, n: int) -> list[int]:
    """Docnums in ``mask``, ascending."""
    return list(compress(range(n), mask.to_bytes(n, "little")))


class FacetPostings:
    """The values of one facet per document, to count them over a set of documents.

    By document: the value indexes of document ``d`` are ``by_doc[starts[d]:starts[d + 1]]``
    (for a few documents); and in layers: ``layers[k][d]`` is 1 + the ``k``-th value of
    document ``d``, 0 if it has fewer (for many documents: one ``bincount`` a layer).
    """

    def __init__(self, slugs: list[str], masks: dict[str, int], n: int) -> None:
        self.slugs = slugs
        ids = [np.flatnonzero(mask_flags(masks[s], n)) for s in slugs]
        docs = np.concatenate(ids) if ids else np.zeros(0, np.intp)
        values = np.repeat(np.arange(len(slugs)), [len(a) for a in ids])
        order = np.argsort(docs, kind="stable")
        self.by_doc = values[order]
        self.starts = np.searchsorted(docs[order], np.arange(n + 1))
        sizes = np.diff(self.starts)
        self.layers = []
        for k in range(int(sizes.max()) if n else 0):
            layer = np.zeros(n, np.int32)
            holding = sizes > k
            layer[holding] = self.by_doc[self.starts[:-1][holding] + k] + 1
            self.layers.append(layer)

    def counts(self, flags: np.ndarray, matched: np.ndarray) -> np.ndarray:
        """Documents holding each value among those of ``flags`` (``matched``: their docnums)."""
        size = len(self.slugs)
        if len(matched) * 8 < len(flags):
            first = self.starts[matched]
            sizes = self.starts[matched + 1] - first
            # every position first[i] .. first[i] + sizes[i] - 1, without a Python loop
            positions = np.arange(sizes.sum()) + np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
            return np.bincount(self.by_doc[positions], minlength=size)
        total = np.zeros(size + 1, np.int64)
        for layer in self.layers:
            total += np.bincount(layer[flags], minlength=size + 1)
        return total[1:]


@dataclass
class SegmentData:
    n: int
    facet_masks: dict[str, dict[str, int]]  # facet -> slug -> local mask
    norms: dict[str, np.ndarray]  # text field -> K1 * (1 - B + B * len / avglen)
    _reader: object = None
    _sort: dict[str, list] = field(default_factory=dict)
    _seq: object = None

    def seq(self, docnum: int) -> bytes:
        """The stored term sequence of a document (``analysis.sequence``, per field)."""
        if self._seq is None:
            self._seq = self._reader.column_reader("seq")
        return self._seq[docnum]

    def sort_keys(self, name: str) -> list:
        if name not in self._sort:
            column = self._reader.column_reader(name)
            self._sort[name] = [column[d] for d in range(self.n)]
        return self._sort[name]


def _segment_data(segreader, avg: dict[str, float]) -> SegmentData:
    n = segreader.doc_count_all()
    facet_masks: dict[str, dict[str, int]] = {}
    for facet, fieldname in FACET_FIELDS.items():
        values = {}
        for term in segreader.lexicon(fieldname):
            slug = term.decode("utf-8")
            ids = [i for ids, _ in read_postings(segreader, fieldname, slug) for i in ids]
            values[slug] = ids_to_mask(ids, n)
        facet_masks[facet] = values
    norms = {}
    for fieldname in TEXT_FIELDS:
        a = avg[fieldname] or 1.0
        norms[fieldname] = K1 * (1 - B + B * field_lengths(segreader, fieldname) / a)
    return SegmentData(n, facet_masks, norms, segreader)


class Snapshot:
    """Everything a search needs from one reader generation."""

    def __init__(self, searcher, cache: dict) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        self.reader = reader
        self.n = reader.doc_count_all()
        self.doc_count = reader.doc_count()
        self.leaves = reader.leaf_readers()
        total = max(self.n, 1)
        avg = {f: reader.field_length(f) / total for f in TEXT_FIELDS}
        live = bytearray(self.n)
        self.segments: list[tuple[SegmentData, int]] = []
        seen = {}
        for segreader, offset in self.leaves:
            key = segreader.segment().segment_id()
            data = cache.get(key) or _segment_data(segreader, avg)
            if data._reader is not segreader:
                data._reader = segreader
                data._seq = None
            seen[key] = data
            self.segments.append((data, offset))
            deleted = segreader.deleted_docs_set if segreader.has_deletions() else ()
            live[offset:offset + data.n] = b"\x01" * data.n
            for d in deleted:
                live[offset + d] = 0
        cache.clear()
        cache.update(seen)
        self.live = int.from_bytes(live, "little")
        self.facet_masks: dict[str, dict[str, int]] = {f: {} for f in FACET_FIELDS}
        for data, offset in self.segments:
            shift = 8 * offset
            for facet, values in data.facet_masks.items():
                target = self.facet_masks[facet]
                for slug, mask in values.items():
                    target[slug] = target.get(slug, 0) | (mask << shift)
        self.norms = {f: np.concatenate([data.norms[f] for data, _ in self.segments])
                      if self.segments else np.zeros(0, np.float64) for f in TEXT_FIELDS}
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._postings_size = 0
        self._postings_lock = threading.Lock()
        self._docs: OrderedDict[int, tuple[dict, list]] = OrderedDict()
        self._facet_postings: dict[str, FacetPostings] = {}
        self._stack: tuple[np.ndarray, dict[str, tuple[int, int]], int] | None = None
        self.browse_memo: dict[tuple, object] = {}  # see SearchIndex.search
        self._labels: dict[tuple[str, str], str] = {}
        self._sort: dict[str, list] = {}
        self._order: dict[str, list[int]] = {}

    def label(self, facet: str, slug: str, mask: int) -> str:
        """Label of a facet value, read from a live document holding it."""
        key = (facet, slug)
        if key not in self._labels:
            label = slug
            live = mask & self.live
            if live:
                docnum = ((live & -live).bit_length() - 1) // 8
                stored = self.searcher.stored_fields(docnum).get("labels") or "{}"
                for s, lab in json.loads(stored).get(facet, []):
                    if s == slug:
                        label = lab
            self._labels[key] = label
        return self._labels[key]

    def sort_keys(self, name: str) -> list:
        """Per-docnum column values ("updated", "sort_title") for the whole reader."""
        if name not in self._sort:
            self._sort[name] = [k for data, _ in self.segments for k in data.sort_keys(name)]
        return self._sort[name]

    def order(self, sort: str) -> list[int]:
        """All docnums in ``sort`` order: "title" (folded A-Z) or "recent" (updated desc)."""
        if sort not in self._order:
            if sort == "recent":
                keys = self.sort_keys("updated")
                self._order[sort] = sorted(range(self.n), key=lambda d: (-keys[d], d))
            else:
                keys = self.sort_keys("sort_title")
                self._order[sort] = sorted(range(self.n), key=lambda d: (keys[d], d))
        return self._order[sort]

    def seq(self, docnum: int) -> bytes:
        """The stored term sequence of a global docnum."""
        for data, offset in reversed(self.segments):
            if docnum >= offset:
                return data.seq(docnum - offset)
        return b""

    def facet_counts(self, flags: np.ndarray, matched: np.ndarray) -> dict[str, np.ndarray]:
        """facet -> documents holding each value (``FacetPostings.slugs`` order), among
        those of ``flags``; for a large set, the layers of every facet in one gather."""
        postings = {facet: self.facet_postings(facet) for facet in FACET_FIELDS}
        if len(matched) * 8 < len(flags) or not self.n:
            return {facet: p.counts(flags, matched) for facet, p in postings.items()}
        if self._stack is None:
            offset, layers, ranges = 0, [], {}
            for facet, p in postings.items():
                layers += [np.where(layer > 0, layer + offset, 0) for layer in p.layers]
                ranges[facet] = (offset + 1, offset + 1 + len(p.slugs))
                offset += len(p.slugs)
            stack = np.vstack(layers) if layers else np.zeros((0, self.n), np.int32)
            self._stack = (stack, ranges, offset)
        stack, ranges, size = self._stack
        counts = np.bincount(stack[:, flags].ravel(), minlength=size + 1)
        return {facet: counts[a:b] for facet, (a, b) in ranges.items()}

    def facet_postings(self, facet: str) -> FacetPostings:
        """The values of ``facet`` per document (built at the first count)."""
        found = self._facet_postings.get(facet)
        if found is None:
            masks = self.facet_masks[facet]
            found = self._facet_postings[facet] = FacetPostings(list(masks), masks, self.n)
        return found

    def document(self, docnum: int) -> tuple[dict, list]:
        """(stored fields, [summary places, body places]) of a document, the places
        (``places.term_places``) filled in by the snippets that need them.

        The results of frequent searches come back often: reading (zlib, pickle)
        and analysing them again is most of a search's cost (``DOCUMENTS_KEPT``).
        """
        with self._postings_lock:
            found = self._docs.get(docnum)
            if found is not None:
                self._docs.move_to_end(docnum)
                return found
        found = (self.searcher.stored_fields(docnum), [None, None])
        with self._postings_lock:
            self._docs[docnum] = found
            if len(self._docs) > DOCUMENTS_KEPT:
                self._docs.popitem(last=False)
        return found

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, frequencies) of one term over all segments, deletions ignored.

        Snapshots never change, so the decoded arrays are kept (``POSTINGS_BUDGET``).
        """
        key = (fieldname, term)
        with self._postings_lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        ids: list[int] = []
        weights: list[float] = []
        for segreader, offset in self.leaves:
            for block_ids, block_weights in read_postings(segreader, fieldname, term):
                ids.extend([i + offset for i in block_ids] if offset else block_ids)
                weights.extend(block_weights)
        found = (np.array(ids, np.int32), np.array(weights, np.float64)) if ids else _EMPTY
        with self._postings_lock:
            if key not in self._postings:
                self._postings[key] = found
                self._postings_size += len(ids)
                while self._postings_size > POSTINGS_BUDGET and len(self._postings) > 1:
                    _, (old, _) = self._postings.popitem(last=False)
                    self._postings_size -= len(old)
        return found
