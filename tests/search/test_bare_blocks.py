"""The posting blocks laid out in numpy (``bare_blocks.py``) are byte for byte the
ones pickled term by term (``term_blocks._bare_block``, Whoosh's own layout)."""

from __future__ import annotations

from pickle import dumps

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE

from kb.search import bare_blocks
from kb.search.term_blocks import _bare_block

LIMIT = 128

# A term's docnums: increasing, distinct, of every pickled size (1, 2 and 4 bytes).
POSTINGS = st.lists(st.integers(min_value=0, max_value=2**31 - 1), min_size=1,
                    max_size=LIMIT + 20, unique=True).map(sorted)
SMALL = st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=12,
                 unique=True).map(sorted)


def laid_out(terms: list[list[int]], compression: int) -> list[bytes | None]:
    """Each term's block from ``bare_blocks`` (None: a term it leaves to pickling)."""
    sizes = np.array([len(t) for t in terms], np.int64)
    docs = np.array([d for t in terms for d in t], np.int64)
    simple = bare_blocks.simple_terms(docs, sizes, LIMIT, compression)
    data, block_sizes = bare_blocks.blocks(docs[np.repeat(simple, sizes)], sizes[simple])
    assert len(data) == int(block_sizes.sum())
    out: list[bytes | None] = []
    at = 0
    chosen = iter(block_sizes.tolist())
    for is_simple in simple.tolist():
        if is_simple:
            size = next(chosen)
            out.append(data[at:at + size])
            at += size
        else:
            out.append(None)
    return out


@given(st.lists(st.one_of(POSTINGS, SMALL), min_size=1, max_size=25), st.sampled_from([0, 3]))
@settings(max_examples=300, deadline=None)
def test_blocks_laid_out_in_numpy_are_the_pickled_ones(terms, compression):
    for term, block in zip(terms, laid_out(terms, compression), strict=True):
        expected = _bare_block(term, LIMIT, compression)
        if block is None:  # left to pickling: several blocks, or a compressed one
            deltas = tuple(b - a for a, b in zip([0, *term], term, strict=False))
            postings = dumps((deltas, None, None), 2)
            assert len(term) > LIMIT or (compression and len(postings) >= COMPRESSION_MIN_SIZE)
        else:
            assert block == expected, term


def test_most_terms_are_laid_out_and_the_rest_left_to_pickling():
    terms = [[4], [3, 300], [1, 2, 3, 4, 70000], list(range(0, 2 * LIMIT, 2)),
             list(range(0, 4000, 100))]
    blocks = laid_out(terms, 3)
    assert blocks[:3] == [_bare_block(t, LIMIT, 3) for t in terms[:3]]
    assert blocks[3] is None  # two blocks
    assert blocks[4] is None  # a postings pickle long enough to be compressed
    assert laid_out(terms[4:], 0)[0] == _bare_block(terms[4], LIMIT, 0)  # uncompressed index
