"""The posting blocks of a bare field's terms (docnums alone), built in numpy.

A rebuild writes about 120,000 bare terms per 5,000 practices, most of them word
pairs in a few documents. Each term's block is a small header, then two pickles
(protocol 2): the block's statistics ``(n, last docnum, 1.0, compression, 0, 0)``
and its postings ``(docnum deltas, None, None)``. Pickling them term by term took
a tenth of a rebuild; the pickles of integers, tuples and ``None`` are simple
enough to be laid out for every term at once (the opcodes below are the ones
``pickle.dumps(..., 2)`` writes; ``tests/search/test_bare_blocks.py`` compares
the bytes).

Left to ``term_blocks._bare_block``: the terms of several blocks, and those whose
postings pickle reaches ``COMPRESSION_MIN_SIZE`` (zlib, one call each).
"""

from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC

_PROTO = b"\x80\x02"
_MARK, _TUPLE = 0x28, 0x74  # "(" and "t": a tuple of more than three items
_TUPLE_OF = np.array([0, 0x85, 0x86, 0x87], np.uint8)  # TUPLE1..3
_POSTINGS_END = b"q\x00NN\x87q\x01."  # memo the deltas, None, None, TUPLE3, memo, STOP
# 1.0 (BINFLOAT), compression 0, 0, 0, TUPLE, memo, STOP
_INFO_END = b"G?\xf0\x00\x00\x00\x00\x00\x00K\x00K\x00K\x00tq\x00."
_BININT1, _BININT2, _BININT = 0x4B, 0x4D, 0x4A  # "K", "M", "J"
_INT_LIMIT = 2**31  # "J" holds a signed 32-bit integer
_DATA_FIXED = len(_PROTO) + 1 + len(_POSTINGS_END)  # + the integers, + MARK past three


def int_sizes(values: np.ndarray) -> np.ndarray:
    """Bytes pickle protocol 2 gives each of ``values`` (0 <= value < 2**31)."""
    return np.where(values < 256, 2, np.where(values < 65536, 3, 5))


def _put_ints(out: np.ndarray, at: np.ndarray, values: np.ndarray, sizes: np.ndarray) -> None:
    """Write the pickle opcode and little-endian bytes of each of ``values`` at ``at``."""
    for size, opcode in ((2, _BININT1), (3, _BININT2), (5, _BININT)):
        chosen = sizes == size
        where, value = at[chosen], values[chosen]
        out[where] = opcode
        for byte in range(size - 1):
            out[where + 1 + byte] = (value >> (8 * byte)) & 255


def _put(out: np.ndarray, at: np.ndarray, constant: bytes) -> None:
    """Write ``constant`` at each offset of ``at``."""
    out[at[:, None] + np.arange(len(constant))] = np.frombuffer(constant, np.uint8)


def simple_terms(docs: np.ndarray, sizes: np.ndarray, limit: int, compression: int) -> np.ndarray:
    """Which terms ``blocks`` can build: one block, docnums that pickle as "J" at
    most, and a postings pickle that stays uncompressed."""
    if not len(sizes) or sizes.min() < 1 or docs.max() >= _INT_LIMIT:
        return np.zeros(len(sizes), bool)
    starts = np.cumsum(sizes) - sizes
    data_sizes = np.add.reduceat(int_sizes(_deltas(docs, starts)), starts) + _DATA_FIXED + (sizes > 3)
    fits = sizes <= limit
    if compression:
        fits &= data_sizes < COMPRESSION_MIN_SIZE
    return fits


def _deltas(docs: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Each posting's docnum minus the previous one of its term (the first: itself)."""
    deltas = docs.copy()
    deltas[1:] -= docs[:-1]
    deltas[starts] = docs[starts]
    return deltas


def blocks(docs: np.ndarray, sizes: np.ndarray) -> tuple[bytes, np.ndarray]:
    """The posting blocks of terms whose docnums are ``docs`` (term after term, ``sizes``
    each, every term one of ``simple_terms``): all blocks end to end, and each one's size."""
    count = len(sizes)
    starts = np.cumsum(sizes) - sizes
    deltas = _deltas(docs, starts)
    delta_sizes = int_sizes(deltas)
    many = sizes > 3
    data_sizes = np.add.reduceat(delta_sizes, starts) + _DATA_FIXED + many
    lasts = docs[starts + sizes - 1]
    n_sizes, last_sizes = int_sizes(sizes), int_sizes(lasts)
    info_sizes = 3 + n_sizes + last_sizes + len(_INFO_END)
    block_sizes = 8 + info_sizes + data_sizes
    at = np.cumsum(block_sizes) - block_sizes
    out = np.zeros(int(block_sizes.sum()), np.uint8)
    _put(out, at, WHOOSH3_HEADER_MAGIC)
    length = np.array(-(info_sizes + data_sizes), ">i4").view(np.uint8).reshape(count, 4)
    out[at[:, None] + 4 + np.arange(4)] = length
    info = at + 8  # the statistics: (n, last, 1.0, 0, 0, 0)
    _put(out, info, _PROTO + b"(")
    _put_ints(out, info + 3, sizes, n_sizes)
    _put_ints(out, info + 3 + n_sizes, lasts, last_sizes)
    _put(out, info + 3 + n_sizes + last_sizes, _INFO_END)
    data = info + info_sizes  # the postings: (deltas, None, None)
    _put(out, data, _PROTO)
    out[data[many] + 2] = _MARK
    first_int = data + 2 + many
    within = np.cumsum(delta_sizes) - delta_sizes
    within -= np.repeat(within[starts], sizes)
    _put_ints(out, np.repeat(first_int, sizes) + within, deltas, delta_sizes)
    after = data + data_sizes - len(_POSTINGS_END) - 1
    out[after] = np.where(many, _TUPLE, _TUPLE_OF[np.minimum(sizes, 3)])
    _put(out, after + 1, _POSTINGS_END)
    return out.tobytes(), block_sizes
