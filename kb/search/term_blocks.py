"""The term index and posting blocks of one field, as whoosh3's ``W3FieldWriter`` writes
them (``bulk.py`` hands each field's postings over once every document is added).

Same bytes as Whoosh: block size and statistics, pickles, zlib compression from
``COMPRESSION_MIN_SIZE``, term infos never inlined, the md5 hash table of the term
index; ``tests/search/test_search_bulk.py`` compares the files.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable
from hashlib import md5
from itertools import islice
from operator import sub
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths, _pointer
from whoosh.system import pack_int, pack_long, pack_ushort

_TI_STRUCT = W3TermInfo._struct


def _md5_hash(key: bytes) -> int:  # filetables.md5_hash, the term index's hash (type 0)
    # int(hexdigest, 16) & 0xFFFFFFFF: the digest's last four bytes, big-endian.
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


def write_field(fw, name: str, fieldobj, kind: str, items: Iterable[tuple[bytes, Any]],
                lbytes: bytearray | None, limit: int, comp_level: int) -> None:
    """Write the terms and posting blocks of one field.

    ``items``: ``(term, postings)`` in increasing term order, the postings of a
    ``kind``: "text" ([docnums, frequencies]), "bare" (docnums, for an
    ``Existence`` field: weights 1.0, no values) or "other" ([docnums, weights,
    values]); ``lbytes``: the length byte of each document for a text field.
    """
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
    boost = fieldobj.format.field_boost if kind == "text" else 1.0

    pchunks: list[bytes] = []
    tchunks: list[bytes] = []
    lastkey = b""
    # Most word pairs occur in one document only (one in two at 10,000
    # practices): their posting block and term info depend on that docnum
    # alone, so each is built once per document, not once per pair.
    single: dict[int, tuple[bytes, bytes]] = {}
    for btext, p in items:
        if kind == "bare" and len(p) <= limit:
            # One block, weights all 1.0, no lengths: the general loop below, unrolled.
            if len(p) == 1:
                docnum = p[0]
                cached = single.get(docnum)
                if cached is None:
                    cached = single[docnum] = _single_pair(docnum, comp_level)
                block, tstats = cached
            else:
                n = len(p)
                deltas = (p[0], *map(sub, islice(p, 1, None), p))
                data = dumps((deltas, None, None), 2)
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
        elif kind == "bare":
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

def _single_pair(docnum: int, compression: int) -> tuple[bytes, bytes]:
    """(posting block, term statistics) of a bare term found in document ``docnum``
    only: what the general loop of ``write_field`` writes for ``ids == [docnum]``."""
    data = dumps(((docnum,), None, None), 2)
    comp = compression if len(data) >= COMPRESSION_MIN_SIZE else 0
    if comp:
        data = zlib.compress(data, comp)
    info = dumps((1, docnum, 1.0, comp, 0, 0), 2)
    blen = len(info) + len(data)
    block = WHOOSH3_HEADER_MAGIC + pack_int(-blen) + info + data
    return block, _TI_STRUCT.pack(False, 1.0, 1, 0, 0, 1.0, docnum, docnum)


_SLOT = np.dtype([("hash", ">u4"), ("position", ">i8")])  # filetables._pointer, "!Iq"
assert _SLOT.itemsize == _pointer.size


def write_hashes(tindex) -> None:
    """``HashWriter._write_hashes`` for ``tindex``, same bytes: the 256 open-addressing
    tables of the term index, each written at once rather than one slot per call
    (Whoosh's writes half a million slots one by one at 5,000 practices)."""
    dbfile = tindex.dbfile
    for entries in tindex.buckets:
        numslots = 2 * len(entries)
        tindex.directory.append((dbfile.tell(), numslots))
        if not numslots:
            continue
        taken = bytearray(numslots)
        slots = []
        for hashval, _ in entries:  # the same probing order as Whoosh's
            slot = (hashval >> 8) % numslots
            while taken[slot]:
                slot = (slot + 1) % numslots
            taken[slot] = 1
            slots.append(slot)
        table = np.zeros(numslots, _SLOT)  # an empty slot is (0, 0), as Whoosh's
        table[slots] = entries
        dbfile.write(table.tobytes())
