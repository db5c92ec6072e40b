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
from dataclasses import dataclass, field
from itertools import accumulate, compress
from pickle import loads

from whoosh.matching.wrappers import FilterMatcher

from kb.search.schema import FACET_FIELDS, TEXT_FIELDS

K1 = 1.2
B = 0.75


def ids_to_mask(ids, n: int) -> int:
    buf = bytearray(n)
    for d in ids:
        buf[d] = 1
    return int.from_bytes(buf, "little")


def mask_ids(mask: int, n: int) -> list[int]:
    """Docnums in ``mask``, ascending."""
    return list(compress(range(n), mask.to_bytes(n, "little")))


def read_postings(segreader, fieldname: str, term: str, values: bool = False):
    """(ids, weights[, values]) blocks of one term in one segment, deletions ignored."""
    try:
        m = segreader.postings(fieldname, term)
    except Exception:  # TermNotFound and friends
        return []
    if isinstance(m, FilterMatcher):
        m = m.child
    out = []
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):  # W3LeafMatcher: block at a time
        while m.is_active():
            m._read_ids()
            m._read_weights()
            if values:
                m._read_values()
                out.append((m._ids, m._weights, m._values))
            else:
                out.append((m._ids, m._weights))
            m._next_block()
        return out
    ids, weights, vals = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if values:
            vals.append(m.value())
        m.next()
    return [(ids, weights, vals) if values else (ids, weights)]


def decode_positions(value: bytes) -> set[int]:
    """Positions of a ``Positions`` posting value (a count, then pickled deltas)."""
    if value[-1:] != b".":
        value += b"."
    return set(accumulate(loads(value[4:])))


@dataclass
class SegmentData:
    n: int
    facet_masks: dict[str, dict[str, int]]  # facet -> slug -> local mask
    norms: dict[str, list[float]]  # text field -> K1 * (1 - B + B * len / avglen)
    _reader: object = None
    _sort: dict[str, list] = field(default_factory=dict)

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
        length = segreader.doc_field_length
        norms[fieldname] = [K1 * (1 - B + B * (length(d, fieldname) or 0) / a) for d in range(n)]
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
            data._reader = segreader
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
        self.norms = {f: [x for data, _ in self.segments for x in data.norms[f]]
                      for f in TEXT_FIELDS}
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

    def postings(self, fieldname: str, term: str):
        """Global (ids, weights) blocks of one term over all segments."""
        out = []
        for segreader, offset in self.leaves:
            for ids, weights in read_postings(segreader, fieldname, term):
                out.append(([i + offset for i in ids] if offset else ids, weights))
        return out
