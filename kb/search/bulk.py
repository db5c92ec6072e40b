"""A fast writer for full rebuilds: one Whoosh segment written straight through the codec.

Whoosh's ``SegmentWriter`` turns every posting into a tuple, pools, sorts and
re-reads them, and looks up a field length for each one at commit: nearly all of
a rebuild's time. ``BulkWriter`` keeps the postings of each (field, term) in
Python lists while documents are added (their analysis comes from
``schema.prepare``, done once per text), then writes the term index and the
posting blocks in sorted term order, in one pass (``term_blocks.py``).

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
from functools import partial

from whoosh.codec import default_codec
from whoosh.formats import Existence
from whoosh.index import TOC, clean_files
from whoosh.system import pack_uint
from whoosh.util.numeric import length_to_byte

from kb.search.filing import FiledPostings, PairPostings, SpellingPostings
from kb.search.schema import BARE_FIELDS, TEXT_FIELDS, Prepared, TermCounts
from kb.search.spell_entries import spelling_words
from kb.search.term_blocks import write_field, write_hashes

_PROBE = "b,a, c ,a,,É,b"


def _comma_terms(value: str, field_boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """What ``field.index`` gives for a ``KEYWORD(commas=True)`` value, without the
    analyzer's token objects (the ``spell`` field alone has ~180 words a document)."""
    counts: dict[str, int] = {}
    for part in value.split(","):
        part = part.strip()
        if part:
            counts[part] = counts.get(part, 0) + 1
    return [(w.encode("utf-8"), f, f * field_boost, pack_uint(f)) for w, f in counts.items()]


def _bare_field(field) -> bool:
    """True if this field's postings are docnums alone (weight 1.0, no value, no length),
    as ``schema._bare`` makes them: ``PairPostings`` and ``SpellingPostings`` file them."""
    fmt = field.format
    return (field.indexed and type(fmt) is Existence and fmt.field_boost == 1.0
            and not field.scorable)


def _comma_field(field) -> bool:
    """True if ``_comma_terms`` gives exactly this field's terms (checked on a probe)."""
    if not (field.indexed and getattr(field, "analyzer", None) is not None):
        return False
    try:
        expected = sorted(field.index(_PROBE))
    except Exception:  # noqa: BLE001 - a field that cannot index the probe: the slow path
        return False
    return expected == sorted(_comma_terms(_PROBE, field.format.field_boost))


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
        # text field -> (term, docnum, frequency) of each posting
        self._text_post = {f: FiledPostings(frequencies=True) for f in self._text}
        # text field -> length byte of each document (0: empty)
        self._lbytes: dict[str, bytearray] = {f: bytearray() for f in self._text}
        # Docnum-only fields (a schema's other fields, bare or not, take the general path):
        bare = {f for f in BARE_FIELDS if f in schema and _bare_field(schema[f])}
        # ``pairs`` -> pair keys of each document (see ``PairPostings``)
        self._pairs = PairPostings() if "pairs" in bare else None
        # ``spell`` and ``spellx`` -> the words of each document (see ``SpellingPostings``)
        spelling = {"spell", "spellx"}
        self._spelling = SpellingPostings(spelling_words) if spelling <= bare else None
        handled = ({"pairs"} if self._pairs else set()) | (spelling if self._spelling else set())
        # other indexed fields -> btext -> [docnums, weights, values]
        self._other: dict[str, dict[bytes, list]] = {}
        self._names = sorted(schema.names())
        self._comma = {name for name in self._names
                       if name not in self._text_post and name not in handled
                       and _comma_field(schema[name])}
        self._closed = False
        self._gc = gc.isenabled()
        gc.disable()  # millions of small lists and no cycles: the collector only costs here

    # -- documents -----------------------------------------------------------

    @property
    def pair_keys(self):
        """What ``schema.prepare`` numbers pairs with, for this writer (None: spelt)."""
        return self._pairs.keys_of if self._pairs is not None else None

    @property
    def spelling_later(self) -> bool:
        """True if ``schema.prepare`` must leave the spelling fields to this writer."""
        return self._spelling is not None

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
                counts = prep.counts[name]
                self._text_post[name].add_counts(docnum, counts)
                length = sum(counts.values())
                self._lbytes[name].append(length_to_byte(length) if length else 0)
            elif name in ("spell", "spellx") and self._spelling is not None:
                if name == "spell":
                    if "chunks" not in prep.term_sets:
                        raise ValueError("prepare() the document with spelling_later=True")
                    self._spelling.add(docnum, prep.term_sets["chunks"])
            elif name == "pairs" and self._pairs is not None:
                if prep.pair_keys is None:
                    raise ValueError("prepare() the document with this writer's pair_keys")
                self._pairs.add(docnum, prep.pair_keys)
            elif field.indexed:
                post = self._other.setdefault(name, {})
                scorable = field.scorable
                if name in self._comma:
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
        fw._tindex._write_hashes = partial(write_hashes, fw._tindex)  # same bytes, faster
        byfield = {}
        for name, filed in self._text_post.items():
            byfield[name] = ("text", filed)
        if self._pairs is not None:
            byfield["pairs"] = ("bare", self._pairs.grouped())
        if self._spelling is not None:
            byfield["spell"], byfield["spellx"] = (("bare", grouped)
                                                   for grouped in self._spelling.grouped())
        for name, post in self._other.items():
            byfield[name] = ("other", post)
        for name in sorted(byfield):
            kind, post = byfield[name]
            if not (post.terms if kind == "bare" else post):  # a bare field's: a Grouped
                continue
            if kind == "text":
                post = post.items()
            elif kind == "other":
                post = sorted(post.items())
            write_field(fw, name, self.schema[name], kind, post, self._lbytes.get(name),
                        self.blocklimit, self.compression)
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
        self._text_post = self._other = {}
        self._pairs = self._spelling = None
        if not keep_temp:
            self.storage.temp_storage(f"{self.indexname}.tmp").destroy()
        if self._gc:
            # What was made meanwhile goes to the oldest generation unwalked; re-enabled
            # as it was, the collector would walk it all at the next allocation.
            gc.freeze()
            gc.unfreeze()
            gc.enable()
