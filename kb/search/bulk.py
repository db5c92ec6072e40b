"""A fast writer for full rebuilds: one Whoosh segment written straight through the codec.

Whoosh's ``SegmentWriter`` turns every posting into a tuple, pools, sorts and
re-reads them, and looks up a field length for each one at commit: nearly all of
a rebuild's time. ``BulkWriter`` keeps the postings of each (field, term) in
Python lists while documents are added (their analysis comes from
``schema.prepare``, done once per text), then writes the term index and the
posting blocks in sorted term order, in one pass.

The files are the ones ``SegmentWriter`` writes, byte for byte: same codec
(``W3Codec``), same block size, block statistics, pickles, compression and term
infos, same per-document writer for stored fields, lengths and columns. So the
reading side is unchanged, and an index built here may receive upserts through
the normal writer. ``tests/search/test_search_bulk.py`` checks the equality
against an index built document by document.

Only for a fresh, empty index (a rebuild generation). No vectors, no separate
spelling fields (the schema has none).
"""

from __future__ import annotations

import gc
import zlib
from array import array
from collections import deque
from hashlib import md5
from itertools import islice, repeat
from operator import itemgetter, sub
from pickle import dumps

from whoosh.codec import default_codec
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths
from whoosh.index import TOC, clean_files
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte

from kb.search.schema import TEXT_FIELDS, Prepared, TermCounts

_TI_STRUCT = W3TermInfo._struct
_first = itemgetter(0)
_second = itemgetter(1)


def _drain(iterator) -> None:
    deque(iterator, maxlen=0)

_PAIR_VALUE = pack_uint(1)  # the Frequency value of a pair: each pair once per document


_PROBE = "b,a, c ,a,,É,b"
_ONE = pack_uint(1)


def _comma_terms(value: str, field_boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """What ``field.index`` gives for a ``KEYWORD(commas=True)`` value, without the
    analyzer's token objects (the ``spell`` field alone has ~180 words a document)."""
    counts: dict[str, int] = {}
    for part in value.split(","):
        part = part.strip()
        if part:
            counts[part] = counts.get(part, 0) + 1
    return [(w.encode("utf-8"), f, f * field_boost, pack_uint(f)) for w, f in counts.items()]


def _comma_field(field) -> bool:
    """True if ``_comma_terms`` gives exactly this field's terms (checked on a probe)."""
    if not (field.indexed and getattr(field, "analyzer", None) is not None):
        return False
    try:
        expected = sorted(field.index(_PROBE))
    except Exception:  # noqa: BLE001 - a field that cannot index the probe: the slow path
        return False
    return expected == sorted(_comma_terms(_PROBE, field.format.field_boost))


def _md5_hash(key: bytes) -> int:  # filetables.md5_hash, the term index's hash (type 0)
    # int(hexdigest, 16) & 0xFFFFFFFF: the digest's last four bytes, big-endian.
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


class BulkWriter:
    """Writes documents into the first segment of an empty index (see module doc)."""

    def __init__(self, ix, blocklimit: int | None = None) -> None:
        toc = ix._read_toc()
        if toc.segments:
            raise ValueError("BulkWriter only writes a fresh, empty index")
        self.storage = ix.storage
        self.indexname = ix.indexname
        self.schema = toc.schema
        self.generation = toc.generation + 1
        self.codec = default_codec()
        self.blocklimit = blocklimit or self.codec._blocklimit
        self.compression = self.codec._compression
        self.segment = self.codec.new_segment(self.storage, self.indexname)
        self.perdoc = self.codec.per_document_writer(self.storage, self.segment)
        self.docnum = 0
        schema = self.schema
        self._text = [f for f in TEXT_FIELDS if isinstance(schema[f].format, TermCounts)]
        # text field -> term -> [docnums, frequencies]
        self._text_post: dict[str, dict[str, list]] = {f: {} for f in self._text}
        # text field -> length byte of each document (0: empty)
        self._lbytes: dict[str, bytearray] = {f: bytearray() for f in self._text}
        self._pairs: dict[str, list[int]] = {}  # pair term -> docnums
        # other indexed fields -> btext -> [docnums, weights, values]
        self._other: dict[str, dict[bytes, list]] = {}
        self._names = sorted(schema.names())
        self._comma = {name for name in self._names
                       if name not in self._text_post and name != "pairs" and _comma_field(schema[name])}
        self._closed = False
        self._gc = gc.isenabled()
        gc.disable()  # millions of small lists and no cycles: the collector only costs here

    # -- documents -----------------------------------------------------------

    def add_prepared(self, prep: Prepared) -> None:
        fields = prep.fields
        schema = self.schema
        perdoc = self.perdoc
        docnum = self.docnum
        perdoc.start_doc(docnum)
        for name in self._names:
            value = fields.get(name)
            if value is None:
                continue
            field = schema[name]
            length = 0
            if name in self._text_post:
                post = self._text_post[name]
                counts = prep.counts[name]
                for term in set(counts).difference(post):  # iterates the document's terms only
                    post[term] = ([], [])
                # the appends run in C: (docnum, frequency) to each term's lists
                entries = list(map(post.__getitem__, counts))
                _drain(map(list.append, map(_first, entries), repeat(docnum)))
                _drain(map(list.append, map(_second, entries), counts.values()))
                length = sum(counts.values())
                self._lbytes[name].append(length_to_byte(length) if length else 0)
            elif name == "pairs":
                post = self._pairs
                found = prep.pair_set
                new = found.difference(post)  # iterates the document's pairs only
                old = found.difference(new) if new else found
                _drain(map(list.append, map(post.__getitem__, old), repeat(docnum)))
                if new:
                    post.update({t: [docnum] for t in new})
            elif field.indexed:
                post = self._other.setdefault(name, {})
                scorable = field.scorable
                if name in self._comma and name in prep.spelling:
                    # distinct words (a set's), so each once: no need to split and count
                    boost = field.format.field_boost
                    entries = [(w.encode("utf-8"), 1, boost, _ONE) for w in prep.spelling[name]]
                elif name in self._comma:
                    entries = _comma_terms(value, field.format.field_boost)
                else:
                    entries = field.index(value)
                for btext, freq, weight, vbytes in entries:
                    p = post.get(btext)
                    if p is None:
                        post[btext] = p = [[], [], []]
                    p[0].append(docnum)
                    p[1].append(weight * 1.0)  # as SegmentWriter (field boost 1.0)
                    p[2].append(vbytes)
                    if scorable:
                        length += freq
            if field.separate_spelling() or field.vector:
                raise ValueError(f"BulkWriter cannot write field {name!r}")
            perdoc.add_field(name, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self.docnum += 1

    # -- commit --------------------------------------------------------------

    def commit(self, others: tuple = ()) -> None:
        """Write this segment, then the index's table of contents listing it and ``others``
        (segments written by ``write_segment`` in other processes)."""
        try:
            segments = [self._write_segment(), *others]
            TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
            clean_files(self.storage, self.indexname, self.generation, segments)
        finally:
            self._finish()

    def publish(self, segments: list) -> None:
        """After ``write_segment``: the table of contents listing ``segments`` (this
        writer's among them), and the shared temporary folder removed."""
        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        clean_files(self.storage, self.indexname, self.generation, segments)
        self.storage.temp_storage(f"{self.indexname}.tmp").destroy()

    def write_segment(self):
        """Write this segment's files only, for another writer's ``commit`` (or
        ``publish``) to list.

        The temporary folder is shared with that writer, which removes it.
        """
        try:
            return self._write_segment()
        finally:
            self._finish(keep_temp=True)

    def _write_segment(self):
        self.perdoc.close()
        fw = self.codec.field_writer(self.storage, self.segment)
        self._fw = fw
        byfield = {}
        for name, post in self._text_post.items():
            byfield[name] = ("text", post)
        if self._pairs:
            byfield["pairs"] = ("pairs", self._pairs)
        for name, post in self._other.items():
            byfield[name] = ("other", post)
        for name in sorted(byfield):
            kind, post = byfield[name]
            if post:
                self._write_field(name, kind, post)
        fw.close()
        self.segment.set_doc_count(self.docnum)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
            self.segment.compound = True
        return self.segment

    def cancel(self) -> None:
        if not self.perdoc.is_closed:
            self.perdoc.close()
        self._finish()

    def _finish(self, keep_temp: bool = False) -> None:
        if self._closed:
            return
        self._closed = True
        self._text_post = self._pairs = self._other = {}
        if not keep_temp:
            self.storage.temp_storage(f"{self.indexname}.tmp").destroy()
        if self._gc:
            gc.enable()

    def _write_field(self, name: str, kind: str, post: dict) -> None:
        fw = self._fw
        fieldobj = self.schema[name]
        fw.start_field(name, fieldobj)
        fieldid = pack_ushort(fw._fieldid)
        postfile = fw._postfile
        tindex = fw._tindex
        tfile = tindex.dbfile
        buckets = tindex.buckets
        positions = []
        pos = tfile.tell()
        offset = postfile.tell()
        fixedsize = fieldobj.format.fixed_value_size()
        limit = self.blocklimit
        comp_level = self.compression
        lbytes = self._lbytes.get(name)
        boost = fieldobj.format.field_boost if kind == "text" else 1.0

        if kind == "text" or kind == "pairs":
            items = sorted((t.encode("utf-8"), p) for t, p in post.items())
        else:
            items = sorted(post.items())

        pchunks: list[bytes] = []
        tchunks: list[bytes] = []
        lastkey = b""
        # Most word pairs occur in one document only (three in five at 2,000
        # practices): their posting block and term info depend on that docnum
        # alone, so each is built once per document, not once per pair.
        single: dict[int, tuple[bytes, bytes]] = {}
        pair_value = None if fixedsize == 0 else _PAIR_VALUE
        for btext, p in items:
            if kind == "pairs" and len(p) <= limit:
                # One block, weights all 1.0, no lengths: the general loop below, unrolled.
                if len(p) == 1:
                    docnum = p[0]
                    cached = single.get(docnum)
                    if cached is None:
                        cached = single[docnum] = self._single_pair(docnum, fixedsize)
                    block, tstats = cached
                else:
                    n = len(p)
                    deltas = (p[0], *map(sub, islice(p, 1, None), p))
                    data = dumps((deltas, None, pair_value and pair_value * n), 2)
                    comp = comp_level if len(data) >= COMPRESSION_MIN_SIZE else 0
                    if comp:
                        data = zlib.compress(data, comp)
                    info = dumps((n, p[-1], 1.0, comp, 0, 0), 2)
                    block = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-(len(info) + len(data))),
                                      info, data))
                    tstats = _TI_STRUCT.pack(False, float(n), n, 0, 0, 1.0, p[0], p[-1])
                size = len(block)
                tinfo = tstats + pack_long(offset) + pack_int(size)
                pchunks.append(block)
                offset += size
                key = fieldid + btext
                if key <= lastkey:
                    raise ValueError(f"terms out of order: {lastkey!r}..{key!r}")
                lastkey = key
                record = _lengths.pack(len(key), len(tinfo)) + key + tinfo
                tchunks.append(record)
                h = _md5_hash(key)
                buckets[h & 255].append((h, pos))
                positions.append(pos)
                pos += len(record)
                continue
            if kind == "text":
                ids, weights = p
                weights = [w * boost for w in weights]
                values = None
            elif kind == "pairs":
                ids, weights, values = p, None, None
            else:
                ids, weights, values = p
            n = len(ids)
            tot_weight = 0
            maxweight = 0
            minlen = None
            maxlen = 0
            out = [WHOOSH3_HEADER_MAGIC]
            size = 4
            for start in range(0, n, limit):
                bids = ids[start:start + limit]
                last = start + limit >= n
                if weights is None:
                    bw = None
                    wsum = float(len(bids))
                    bmax = 1.0
                    mini_w = None
                else:
                    bw = array("f", weights[start:start + limit])
                    wsum = sum(bw)
                    bmax = max(weights[start:start + limit])
                    if bmax <= 0:
                        bmax = 0
                    first = bw[0]
                    if first == 1.0 and bw.count(1.0) == len(bw):
                        mini_w = None
                    elif bw.count(first) == len(bw):
                        mini_w = first
                    else:
                        mini_w = tuple(bw)
                tot_weight += wsum
                if lbytes is not None:
                    bl = bytes(map(lbytes.__getitem__, bids))
                    if 0 in bl:
                        bl = bl.replace(b"\x00", b"")
                    bmin = min(bl) if bl else 0
                    bmaxl = max(bl) if bl else 0
                    if bl:  # (an empty block keeps the term's minimum)
                        minlen = bmin if minlen is None else min(minlen, bmin)
                    maxlen = max(maxlen, bmaxl)
                else:
                    bmin = bmaxl = 0
                if bmax > maxweight:
                    maxweight = bmax
                if fixedsize == 0:
                    mini_v = None
                elif kind == "pairs":
                    mini_v = _PAIR_VALUE * len(bids)
                else:
                    vs = [v for v in values[start:start + limit] if v]
                    mini_v = tuple(vs) if fixedsize is None or fixedsize < 0 else b"".join(vs)
                deltas = (bids[0], *map(sub, islice(bids, 1, None), bids))
                data = dumps((deltas, mini_w, mini_v), 2)
                comp = comp_level if len(data) >= COMPRESSION_MIN_SIZE else 0
                if comp:
                    data = zlib.compress(data, comp)
                info = dumps((len(bids), bids[-1], bmax if bmax > 0 else 0, comp, bmin, bmaxl), 2)
                blen = len(info) + len(data)
                out.append(pack_int(-blen if last else blen))
                out.append(info)
                out.append(data)
                size += 4 + blen
            # the term info (W3TermInfo.to_bytes, never inlined: inlinelimit=1)
            tinfo = _TI_STRUCT.pack(False, tot_weight, n, minlen or 0, maxlen, maxweight,
                                    ids[0], ids[-1]) + pack_long(offset) + pack_int(size)
            pchunks.append(b"".join(out))
            offset += size
            key = fieldid + btext
            if key <= lastkey:
                raise ValueError(f"terms out of order: {lastkey!r}..{key!r}")
            lastkey = key
            record = _lengths.pack(len(key), len(tinfo)) + key + tinfo
            tchunks.append(record)
            h = _md5_hash(key)
            buckets[h & 255].append((h, pos))
            positions.append(pos)
            pos += len(record)
            if len(pchunks) >= 4096:
                postfile.write(b"".join(pchunks))
                tfile.write(b"".join(tchunks))
                pchunks.clear()
                tchunks.clear()
        postfile.write(b"".join(pchunks))
        tfile.write(b"".join(tchunks))
        tindex.index.extend(positions)
        tindex.lastkey = lastkey
        fw.finish_field()

    def _single_pair(self, docnum: int, fixedsize) -> tuple[bytes, bytes]:
        """(posting block, term statistics) of a pair found in document ``docnum`` only:
        what the general loop of ``_write_field`` writes for ``ids == [docnum]``."""
        data = dumps(((docnum,), None, None if fixedsize == 0 else _PAIR_VALUE), 2)
        comp = self.compression if len(data) >= COMPRESSION_MIN_SIZE else 0
        if comp:
            data = zlib.compress(data, comp)
        info = dumps((1, docnum, 1.0, comp, 0, 0), 2)
        blen = len(info) + len(data)
        block = WHOOSH3_HEADER_MAGIC + pack_int(-blen) + info + data
        return block, _TI_STRUCT.pack(False, 1.0, 1, 0, 0, 1.0, docnum, docnum)
