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
from functools import partial
from hashlib import md5
from itertools import chain, islice
from operator import lt, methodcaller, sub
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths, _pointer
from whoosh.system import pack_int, pack_long, pack_ushort

from kb.search import bare_blocks
from kb.search.filing import Grouped

_TI_STRUCT = W3TermInfo._struct


def _md5_hash(key: bytes) -> int:  # filetables.md5_hash, the term index's hash (type 0)
    # int(hexdigest, 16) & 0xFFFFFFFF: the digest's last four bytes, big-endian.
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


def write_field(fw, name: str, fieldobj, kind: str, items: Iterable[tuple[bytes, Any]],
                lbytes: bytearray | None, limit: int, comp_level: int) -> None:
    """Write the terms and posting blocks of one field.

    ``items``: ``(term, postings)`` in increasing term order, the postings of a
    ``kind``: "text" ([docnums, frequencies]) or "other" ([docnums, weights,
    values]); for "bare" (docnums only, an ``Existence`` field: weights 1.0, no
    values), a ``filing.Grouped``. ``lbytes``: the length byte of each document
    for a text field.
    """
    fw.start_field(name, fieldobj)
    if kind == "bare":
        _write_bare(fw, items, limit, comp_level)
        fw.finish_field()
        return
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
    for btext, p in items:
        if kind == "text":
            ids, weights = p
            weights = [w * boost for w in weights]
            values = None
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

# A bare term's info (W3TermInfo.to_bytes, never inlined), then its posting block's
# offset and size: one record of ``_TINFO`` per term, made in numpy.
_TINFO = np.dtype([("flags", "u1"), ("weight", ">f4"), ("docfreq", ">u4"), ("minlength", "u1"),
                   ("maxlength", "u1"), ("maxweight", ">f4"), ("mindoc", ">u4"),
                   ("maxdoc", ">u4"), ("offset", ">i8"), ("size", ">i4")])
assert _TINFO.itemsize == _TI_STRUCT.size + 12
_HEADER = np.dtype([("keylen", ">i4"), ("valuelen", ">i4")])  # filetables._lengths, "!ii"
assert _HEADER.itemsize == _lengths.size
_digest = methodcaller("digest")


def _write_bare(fw, grouped: Grouped, limit: int, comp_level: int) -> None:
    """``write_field`` for a bare field (docnums alone: weights 1.0, no values, no
    lengths), term by term in C where the general loop runs Python.

    Two thirds of a rebuild's terms are here, most of them word pairs found in
    a few documents. Their posting blocks (``bare_blocks.py``), the term infos,
    record headers, offsets and md5 hashes of the term index are computed for
    the whole field at once.
    """
    fieldid = pack_ushort(fw._fieldid)
    postfile = fw._postfile
    tindex = fw._tindex
    tfile = tindex.dbfile
    terms, sizes, docs = grouped
    count = len(terms)
    if not count:
        return
    keys = list(map(fieldid.__add__, terms))
    if not all(map(lt, keys, islice(keys, 1, None))):
        raise ValueError(f"terms out of order in field {fw._fieldname!r}")
    starts = np.cumsum(sizes) - sizes
    firsts, lasts = docs[starts], docs[starts + sizes - 1]

    # Most blocks are laid out in numpy (bare_blocks.py); the others are pickled here.
    simple = bare_blocks.simple_terms(docs, sizes, limit, comp_level)
    laid_out, laid_sizes = bare_blocks.blocks(docs[np.repeat(simple, sizes)], sizes[simple])
    if simple.all():
        block_sizes = laid_sizes
        postings = laid_out
    else:
        others = (~simple).nonzero()[0]
        pickled = [_bare_block(docs[starts[i]:starts[i] + sizes[i]].tolist(), limit, comp_level)
                   for i in others.tolist()]
        block_sizes = np.empty(count, np.int64)
        block_sizes[simple] = laid_sizes
        block_sizes[others] = list(map(len, pickled))
        # Each pickled block goes in after the laid-out blocks of the terms before it.
        laid_ends = np.concatenate(([0], np.cumsum(laid_sizes)))
        cuts = laid_ends[others - np.arange(len(others))].tolist()
        runs = map(laid_out.__getitem__, map(slice, [0, *cuts], [*cuts, len(laid_out)]))
        postings = b"".join(chain.from_iterable(zip(runs, [*pickled, b""], strict=True)))

    info = np.zeros(count, _TINFO)
    info["weight"] = sizes
    info["docfreq"] = sizes
    info["maxweight"] = 1.0
    info["mindoc"] = firsts
    info["maxdoc"] = lasts
    info["offset"] = postfile.tell() + np.cumsum(block_sizes) - block_sizes
    info["size"] = block_sizes
    key_sizes = np.fromiter(map(len, keys), np.int64, count)
    header = np.empty(count, _HEADER)
    header["keylen"] = key_sizes
    header["valuelen"] = _TINFO.itemsize
    records = b"".join(chain.from_iterable(zip(header.view(f"V{_HEADER.itemsize}").tolist(), keys,
                                               info.view(f"V{_TINFO.itemsize}").tolist(),
                                               strict=True)))
    record_sizes = _HEADER.itemsize + key_sizes + _TINFO.itemsize
    positions = tfile.tell() + np.cumsum(record_sizes) - record_sizes

    postfile.write(postings)
    tfile.write(records)
    # filetables.md5_hash: the digest's last four bytes, big-endian
    hashes = np.frombuffer(b"".join(map(_digest, map(partial(md5, usedforsecurity=False), keys))),
                           ">u4")[3::4].astype(np.int64)
    # Each of the 256 tables takes its entries in term order (the probing order).
    bucket_of = hashes & 255
    order = np.argsort(bucket_of, kind="stable")
    entries = list(zip(hashes[order].tolist(), positions[order].tolist(), strict=True))
    ends = np.cumsum(np.bincount(bucket_of, minlength=256)).tolist()
    for bucket, start, end in zip(tindex.buckets, [0, *ends[:-1]], ends, strict=True):
        bucket.extend(entries[start:end])
    tindex.index.extend(positions.tolist())
    tindex.lastkey = keys[-1]


def _bare_block(ids, limit: int, compression: int) -> bytes:
    """The posting block(s) of a bare term found in documents ``ids``: what the general
    loop of ``write_field`` writes for weights 1.0, no values and no lengths."""
    out = [WHOOSH3_HEADER_MAGIC]
    n = len(ids)
    for start in range(0, n, limit):
        bids = ids[start:start + limit]
        deltas = (bids[0], *map(sub, islice(bids, 1, None), bids))
        data = dumps((deltas, None, None), 2)
        comp = compression if len(data) >= COMPRESSION_MIN_SIZE else 0
        if comp:
            data = zlib.compress(data, comp)
        info = dumps((len(bids), bids[-1], 1.0, comp, 0, 0), 2)
        blen = len(info) + len(data)
        out.append(pack_int(-blen if start + limit >= n else blen))
        out.append(info)
        out.append(data)
    return b"".join(out)


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
