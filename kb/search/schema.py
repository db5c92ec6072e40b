"""Index schema and the conversion of an ``IndexDocument`` into index fields.

Text fields (title > summary > names > body) share the French analyzer. Facet
fields hold slugs, one term each, and are read back as per-reader bitmaps
(see ``snapshot.py``). Stored fields keep only what a hit needs: its slug,
title, summary, the body stripped of Markdown (for snippets), the facet labels
and the fingerprint. ``SCHEMA_VERSION`` is stamped in the index folder; bump it
whenever anything here or in the analysis changes the terms or stored text produced.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from itertools import chain

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Existence, Format

from kb.search.analysis import (
    WORD_RE,
    FrenchTokenizer,
    analyzed,
    chunk_slots,
    fold_word,
    slot_pairs,
    slot_sequence,
)
from kb.search.documents import FACETS, IndexDocument
from kb.search.spell_entries import spelling_entries, spelling_terms

SCHEMA_VERSION = 7  # 7: headings and list items are paragraphs of their own in body_text

# Text fields searched, with their weights.
TEXT_FIELDS = {"title": 5.0, "summary": 2.5, "names": 1.8, "body": 1.0}
FACET_FIELDS = {name: "f_" + name for name in FACETS}
# Fields read for their documents only (see ``_bare``), their terms in ``Prepared.term_sets``.
BARE_FIELDS = ("pairs", "spell", "spellx")


class TermCounts(Format):
    """Postings of a text field: the term frequency as the weight, and no value.

    No positions: phrases are answered from the ``pairs`` field and the stored
    term sequence (``seq``), so each posting is (docnum, frequency) only, which
    is both faster to write and faster to read than Whoosh's ``Positions``.
    Pickled into the index: keep this class at ``kb.search.schema.TermCounts``.
    """

    posting_size = 0  # no value bytes

    def __init__(self, field_boost: float = 1.0, **options) -> None:
        self.field_boost = field_boost
        self.options = options

    def word_values(self, value, analyzer, **kwargs):
        if isinstance(analyzer, FrenchTokenizer) and isinstance(value, str):
            counts = Counter(t for _, t, _, _ in analyzed(value))
        else:
            counts = Counter(t.text for t in analyzer(value, **kwargs) if not t.stopped)
        fb = self.field_boost
        return ((w, freq, freq * fb, b"") for w, freq in counts.items())

    def encode(self, value) -> bytes:
        return b""

    def decode_frequency(self, valuestring: bytes) -> int:
        return 1

    def decode_weight(self, valuestring: bytes) -> float:
        return self.field_boost

    def combine(self, vs) -> bytes:
        return b""


def _bare(field: KEYWORD) -> KEYWORD:
    """A field read for its documents only: postings carry no frequency (Whoosh's
    ``Frequency`` would add four bytes to each), which keeps ``pairs`` and ``spell``,
    most of a rebuild's postings, small to write and to read."""
    field.format = Existence()
    return field


def _text(ana, stored: bool = False) -> TEXT:
    field = TEXT(analyzer=ana, stored=stored, phrase=False)
    field.format = TermCounts()
    return field


def build_schema() -> Schema:
    """A fresh schema object (one analyzer instance shared by the text fields)."""
    ana = FrenchTokenizer()
    fields = {
        "slug": ID(stored=True, unique=True),
        "title": _text(ana, stored=True),
        "summary": _text(ana, stored=True),
        "names": _text(ana),
        "body": _text(ana),
        "body_text": STORED(),
        # The terms of the four text fields position by position (see
        # ``analysis.sequence``), one line per field: the exact check of phrases.
        "seq": COLUMN(columns.VarBytesColumn()),
        # Pairs of terms at consecutive positions of one text field ("lien_social"):
        # a two-word phrase is one lookup here instead of a positions check, and
        # longer phrases are pre-filtered by all their pairs (see matching.py).
        "pairs": _bare(KEYWORD()),
        "labels": STORED(),
        "fingerprint": STORED(),
        # Folded surface words (unstemmed) of each document, and the accented
        # spelling of those that have one ("tranquillite\x1ftranquillité"): the
        # exact-form field (a word as written outranks its stem), and "did you
        # mean" from the words of live documents only (deleted ones excluded).
        "spell": _bare(KEYWORD(commas=True)),
        "spellx": _bare(KEYWORD(commas=True)),
        "updated": COLUMN(columns.NumericColumn("q", default=0)),
        "sort_title": COLUMN(columns.VarBytesColumn()),
    }
    for field in FACET_FIELDS.values():
        fields[field] = KEYWORD(commas=True)
    return Schema(**fields)


# (pattern, replacement, characters one of which any match contains: a text
# without them is not scanned, which spares most bodies most of the passes)
_MD_PATTERNS = [
    (re.compile(r"```.*?```", re.S), " ", ("```",)),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1", ("](",)),  # images -> alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1", ("](",)),  # links -> text
    (re.compile(r"<[^>\n]+>"), " ", ("<",)),  # inline HTML
    # A heading, and each list item, is a paragraph of its own: otherwise a snippet
    # runs "Résultats Les jeunes…" on from the heading into the next line.
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M), r"\n\n\1\n\n", ("#",)),
    (re.compile(r"^[ \t]{0,3}(?:[-*+]|\d+[.)])[ \t]+", re.M), "\n\n", None),  # list items
    # [ \t], not \s: a quote must not swallow the blank line that ends the paragraph above
    (re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>+[ \t]*)", re.M), "", ("#", ">")),  # quotes
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M), "", ("-", "*", "_")),  # rules
    (re.compile(r"(\*\*|__|\*|`|~~)"), "", ("*", "_", "`", "~")),  # emphasis, code
    (re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*$", re.M), "", ("|",)),  # table separators
    (re.compile(r"\|"), " ", ("|",)),
]


def strip_markdown(text: str) -> str:
    """Plain text of a Markdown body, on one line per paragraph."""
    for pattern, repl, needed in _MD_PATTERNS:
        if needed is None or any(c in text for c in needed):
            text = pattern.sub(repl, text)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n".join(p for p in paragraphs if p)


def _names_text(doc: IndexDocument) -> str:
    names = []
    for group in (doc.landlords, doc.partners, doc.themes, doc.cities, doc.districts,
                  doc.audiences):
        for named in group:
            names.append(named.label)
            names.extend(named.aliases)
    return " ; ".join(names)


def facet_values(doc: IndexDocument) -> dict[str, list[tuple[str, str]]]:
    """facet name -> [(slug, label)] for one document."""
    single = lambda n: [(n.slug, n.label)] if n else []  # noqa: E731
    year = str(doc.start_year) if doc.start_year is not None else None
    return {
        "theme": [(n.slug, n.label) for n in doc.themes],
        "landlord": [(n.slug, n.label) for n in doc.landlords],
        "partner": [(n.slug, n.label) for n in doc.partners],
        "city": [(n.slug, n.label) for n in doc.cities],
        "audience": [(n.slug, n.label) for n in doc.audiences],
        "status": single(doc.status),
        "evidence": single(doc.evidence),
        "year": [(year, year)] if year else [],
    }


class Prepared:
    """One document ready for indexing: its Whoosh fields and the analysis behind them.

    ``counts`` holds the term frequencies of each text field and ``term_sets``
    the distinct terms of ``pairs``, ``spell`` and ``spellx``, so a bulk writer
    (``bulk.py``) need not analyse or split the texts again; ``fields`` is
    exactly what ``to_fields`` returns. Prepared for a bulk writer, the pairs
    are its numbers instead (``pair_keys``; the ``pairs`` field is then empty),
    and the spelling fields may be left to it (``term_sets["chunks"]``).
    """

    __slots__ = ("fields", "counts", "term_sets", "pair_keys")

    def __init__(self, fields: dict, counts: dict[str, Counter],
                 term_sets: dict[str, set[str]], pair_keys=None) -> None:
        self.fields = fields
        self.counts = counts
        self.term_sets = term_sets
        self.pair_keys = pair_keys


def prepare(doc: IndexDocument, seen_accents: set[str] | None = None,
            pair_keys: Callable | None = None, spelling_later: bool = False) -> Prepared:
    """Fields and analysis of one document (see ``to_fields``).

    For a bulk writer: ``pair_keys``, its ``PairPostings.keys_of``, numbers the
    pairs instead; with ``spelling_later``, the spelling fields are left empty
    and ``term_sets["chunks"]`` holds the words they come from (its
    ``SpellingPostings`` spells them).
    """
    body_text = strip_markdown(doc.body)
    names = _names_text(doc)
    facets = facet_values(doc)
    texts = (doc.title, doc.summary, names, body_text)
    chunk_lists = [WORD_RE.findall(t) for t in texts]
    chunks = set(chain.from_iterable(chunk_lists))
    if spelling_later:
        spell, spellx = set(), set()
    else:
        spell, spellx = spelling_terms(spelling_entries(chunks), seen_accents)
    counts = {}
    positions = []
    seqs = []
    for name, found in zip(("title", "summary", "names", "body"), chunk_lists, strict=True):
        by_pos = list(chain.from_iterable(map(chunk_slots.__getitem__, found)))
        flat = list(chain.from_iterable(by_pos))
        counts[name] = Counter(flat)
        positions.append((by_pos, len(flat)))
        seqs.append(slot_sequence(by_pos))
    keys = None
    pair_set: set[str] = set()
    if pair_keys is not None:
        keys = pair_keys(positions)
    else:
        for by_pos, flat_count in positions:
            pair_set |= slot_pairs(by_pos, flat_count)
    fields = {
        "slug": doc.slug,
        "title": doc.title,
        "summary": doc.summary,
        "names": names,
        "body": body_text,
        "body_text": body_text,
        "pairs": " ".join(pair_set),
        "seq": "\n".join(seqs).encode("utf-8"),
        "labels": json.dumps({k: v for k, v in facets.items() if v}, ensure_ascii=False),
        "fingerprint": doc.fingerprint,
        "spell": ",".join(spell),
        "spellx": ",".join(spellx),
        "updated": int(doc.updated.timestamp()),
        "sort_title": fold_word(doc.title).strip().encode("utf-8"),
    }
    for name, field in FACET_FIELDS.items():
        fields[field] = ",".join(slug for slug, _ in facets[name])
    term_sets = {"pairs": pair_set, "spell": spell, "spellx": spellx}
    if spelling_later:
        term_sets["chunks"] = chunks
    return Prepared(fields, counts, term_sets, keys)


def to_fields(doc: IndexDocument, seen_accents: set[str] | None = None) -> dict:
    """The Whoosh fields of one document.

    ``spell`` lists every word of the document (not only words new to the
    index): a deleted or corrected practice then takes its words out of the
    suggestions and of the exact-form matches at once. ``spellx`` (how a folded
    word is written with its accents) only needs each spelling once: a rebuild
    passes ``seen_accents`` and a spelling is indexed with the first document
    using it (it saves a sixth of a rebuild); upserts index all theirs.
    """
    return prepare(doc, seen_accents).fields
