"""What kb reads of whoosh3's files past its public API, and the check that it still can.

Postings are decoded a block at a time (``read_postings``) and field lengths read
as one block of bytes (``field_lengths``): through the leaf matcher's and the
length column's internals. ``check_whoosh_internals`` runs at import, compares
both with Whoosh's public answers on a small index, and stops kb with a clear
message naming the pinned version if they differ or are gone (see README,
"Monter de version whoosh3").
"""

from __future__ import annotations

import zlib
from itertools import accumulate
from pickle import loads

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.mcore import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length


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


_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], np.float64)


def field_lengths(segreader, fieldname: str) -> np.ndarray:
    """The length of ``fieldname`` in each document of a segment, as ``doc_field_length``
    gives it, read as one block of bytes rather than one call per document."""
    n = segreader.doc_count_all()
    column = segreader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    out = np.zeros(n, np.float64)
    if column is not None and column._count:
        raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), np.uint8)
        out[:len(raw)] = _BYTE_LENGTHS[raw]
    return out


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
        if not problems:
            try:
                lengths = field_lengths(reader, "t").tolist()
                if lengths != [reader.doc_field_length(d, "t") or 0 for d in range(3)]:
                    problems.append("les longueurs de champ lues par kb diffèrent de celles de Whoosh")
            except (AttributeError, TypeError, ValueError) as exc:
                problems.append(f"la lecture des longueurs de champ échoue ({exc})")
    if problems:
        raise RuntimeError(
            f"kb lit des structures internes de whoosh3 {WHOOSH3_VERSION} (version épinglée dans "
            f"pyproject.toml), absentes de whoosh3 {version('whoosh3')} installé : "
            f"{'; '.join(problems)}. Installez whoosh3=={WHOOSH3_VERSION}, ou suivez « Monter de "
            "version whoosh3 » dans le README.")


check_whoosh_internals()
