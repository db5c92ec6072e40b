"""Index files are read in place from a memory map (kb.search.mapped), like a BytesIO."""

from __future__ import annotations

import io
import mmap
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.structfile import BufferFile, StructFile

from kb.search.mapped import ViewFile, _ViewReader
from kb.search.store import IndexStore

OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("read"), st.integers(-1, 40)),
    st.tuples(st.just("readline"), st.integers(-1, 40)),
    st.tuples(st.just("seek"), st.tuples(st.integers(0, 60), st.sampled_from([0, 1, 2]))),
    st.tuples(st.just("tell"), st.none()),
), max_size=30)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=50).map(lambda b: b.replace(b"\x00", b"\n")), ops=OPERATIONS)
def test_a_view_reads_seeks_and_tells_as_a_bytesio_does(data, ops):
    ours, theirs = _ViewReader(memoryview(data)), io.BytesIO(data)
    for name, arg in ops:
        if name == "seek":
            offset, whence = arg
            if whence:  # relative seeks may go back as far as the start, not before it
                offset = -min(offset, (theirs.tell() if whence == 1 else len(data)))
            assert ours.seek(offset, whence) == theirs.seek(offset, whence)
        elif name == "tell":
            assert ours.tell() == theirs.tell()
        else:
            assert getattr(ours, name)(arg) == getattr(theirs, name)(arg)
    assert list(ours) == list(theirs)


def test_what_whoosh_writes_reads_back_from_a_view_as_from_its_own_buffer():
    stream = io.BytesIO()
    out = StructFile(stream)
    out.write_pickle({"slug": "pratique", "n": 3})
    out.write_array(array("i", range(5)))
    out.write_varint(300)
    out.write_string(b"tranquillit\xc3\xa9")
    data = stream.getvalue()
    for file in (ViewFile(memoryview(data)), BufferFile(data)):
        assert file.read_pickle() == {"slug": "pratique", "n": 3}
        assert list(file.read_array("i", 5)) == list(range(5))
        assert file.read_varint() == 300
        assert file.read_string() == "tranquillité".encode()
        part = file.subset(len(data) - 14, 14)
        assert part.get(1, 4) == b"tran" and part.read(3) == b"\rtr"  # length 13, then the text


def test_the_live_index_reads_its_parts_from_a_shared_map(loaded_runtime):
    """No private copy per process: the postings and terms are views of one map."""
    assert loaded_runtime.index.ensure_ready()
    ix = IndexStore(loaded_runtime.index.path).open_current()
    reader = ix.reader()
    try:
        leaves = [leaf for leaf, _ in reader.leaf_readers()] if not reader.is_atomic() else [reader]
        for leaf in leaves:
            for part in (leaf._terms._postfile, leaf._terms._dbfile):
                assert isinstance(part, ViewFile)
                assert isinstance(part._buf.obj, mmap.mmap)
        # The stored fields read through the views are the index's.
        slugs = {fields["slug"] for fields in reader.all_stored_fields()}
        assert slugs == set(loaded_runtime.index.fingerprints()) and slugs
    finally:
        reader.close()
