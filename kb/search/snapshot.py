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
import zlib
from collections import deque
from dataclasses import dataclass, field
from itertools import accumulate, compress, repeat
from pickle import loads

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.mcore import ListMatcher
from whoosh.matching.wrappers import FilterMatcher

from kb.search.schema import FACET_FIELDS, TEXT_FIELDS

K1 = 1.2
B = 0.75


def ids_to_mask(ids, n: int) -> int:
    buf = bytearray(n)
    deque(map(buf.__setitem__, ids, repeat(1)), maxlen=0)  # the loop runs in C
    return int.from_bytes(buf, "little")


def _block(m, values: bool):
    """Decode the current block of a W3LeafMatcher: (ids, weights[, values]).

    Same data as its ``_read_ids``/``_read_weights``, but the delta-decoding of
    the ids runs in C (``accumulate``) and constant weights are not expanded
    item by item.
    """
    b = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
    if m._compression:
        b = zlib.decompress(b)
    data = loads(b)
    ids = list(accumulate(data[0]))
    weights = data[1]
    if weights is None:
        weights = (1.0,) * len(ids)
    elif isinstance(weights, float):
        weights = (weights,) * len(ids)
    if values:
        m._data = data
        m._read_values()
        return ids, weights, m._values
    return ids, weights


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
    if isinstance(m, W3LeafMatcher):  # a block at a time (internals checked at start-up)
        out = []
        while m.is_active():
            out.append(_block(m, values))
            m._next_block()
        return out
    if not isinstance(m, ListMatcher):  # only a term of one posting is inlined as a list
        raise RuntimeError(f"unexpected Whoosh matcher {type(m).__name__} for {fieldname}:{term}; "
                           f"kb is written for whoosh3=={WHOOSH3_VERSION}")
    ids, weights, vals = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if values:
            vals.append(m.value())
        m.next()
    return [(ids, weights, vals) if values else (ids, weights)]


# -- the whoosh3 internals kb relies on, checked once at import -------------------

WHOOSH3_VERSION = "3.54.0"  # pinned in pyproject.toml; see README before changing it
LEAF_INTERNALS = ("_postfile", "_dataoffset", "_nextoffset", "_compression", "_byteids",
                  "_next_block", "_read_values", "_data")


def check_whoosh_internals() -> None:
    """Fail at start-up, clearly, if whoosh3 lost an internal that kb reads.

    Indexes three documents in memory and reads their postings both ways:
    through the leaf matcher's internals (``_block``) and through its public
    ``id()``/``weight()``/``value()``; also the internals ``bulk.py`` uses.
    """
    from importlib.metadata import version

    from whoosh.codec import default_codec
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import RamStorage
    from whoosh.index import FileIndex

    problems = []
    codec = default_codec()
    problems += [f"W3Codec.{a}" for a in ("_blocklimit", "_compression") if not hasattr(codec, a)]
    problems += ["FileIndex._read_toc"] if not hasattr(FileIndex, "_read_toc") else []
    ix = RamStorage().create_index(Schema(t=TEXT(phrase=False)))
    with ix.writer() as writer:
        for text in ("mot mot", "mot", "autre mot"):
            writer.add_document(t=text)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        m = reader.postings("t", "mot")
        m = m.child if isinstance(m, FilterMatcher) else m
        if not isinstance(m, W3LeafMatcher):
            problems.append(f"les postings sont un {type(m).__name__}, pas un W3LeafMatcher")
        else:
            problems += [f"W3LeafMatcher.{a}" for a in LEAF_INTERNALS if not hasattr(m, a)]
        if not problems:
            try:
                fast = read_postings(reader, "t", "mot", values=True)
                public = reader.postings("t", "mot")
                expected = []
                while public.is_active():
                    expected.append((public.id(), public.weight(), public.value()))
                    public.next()
                got = [(i, w, v) for ids, ws, vs in fast for i, w, v in zip(ids, ws, vs, strict=True)]
                if got != expected:
                    problems.append("les postings décodés par kb diffèrent de ceux de Whoosh")
            except (AttributeError, TypeError, ValueError) as exc:
                problems.append(f"le décodage des postings échoue ({exc})")
    if problems:
        raise RuntimeError(
            f"kb lit des structures internes de whoosh3 {WHOOSH3_VERSION} (version épinglée dans "
            f"pyproject.toml), absentes de whoosh3 {version('whoosh3')} installé : "
            f"{'; '.join(problems)}. Installez whoosh3=={WHOOSH3_VERSION}, ou suivez « Monter de "
            "version whoosh3 » dans le README.")


check_whoosh_internals()


@dataclass
class SegmentData:
    n: int
    facet_masks: dict[str, dict[str, int]]  # facet -> slug -> local mask
    norms: dict[str, list[float]]  # text field -> K1 * (1 - B + B * len / avglen)
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

    def seq(self, docnum: int) -> bytes:
        """The stored term sequence of a global docnum."""
        for data, offset in reversed(self.segments):
            if docnum >= offset:
                return data.seq(docnum - offset)
        return b""

    def postings(self, fieldname: str, term: str):
        """Global (ids, weights) blocks of one term over all segments."""
        out = []
        for segreader, offset in self.leaves:
            for ids, weights in read_postings(segreader, fieldname, term):
                out.append(([i + offset for i in ids] if offset else ids, weights))
        return out
