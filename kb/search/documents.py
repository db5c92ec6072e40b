"""Plain records crossing the boundary between kb and its search engine.

The service layer builds ``IndexDocument`` objects from the database (published
practices only) and asks ``SearchIndex`` for ``SearchResponse`` objects; nothing
outside ``kb/search/`` sees Whoosh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

# Facet names, in display order. ``theme``, ``landlord``, ``partner``, ``city``, ``audience``
# are lists of slugs per practice; ``status``, ``evidence`` are slugs of the
# value; ``year`` is the start year as a string.
FACETS = ("theme", "landlord", "partner", "city", "audience", "status", "evidence", "year")
SORTS = ("relevance", "recent", "title")


@dataclass(frozen=True)
class Named:
    """A facet value: its slug and the label shown to people."""

    slug: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexDocument:
    slug: str
    title: str
    summary: str
    body: str  # Markdown source
    themes: tuple[Named, ...] = ()
    landlords: tuple[Named, ...] = ()  # aliases are searchable words too
    partners: tuple[Named, ...] = ()
    cities: tuple[Named, ...] = ()
    districts: tuple[Named, ...] = ()
    audiences: tuple[Named, ...] = ()
    status: Named | None = None
    evidence: Named | None = None
    start_year: int | None = None
    updated: dt.datetime = field(default_factory=lambda: dt.datetime(1970, 1, 1))
    # Changes whenever anything indexed changes; check-index compares it.
    fingerprint: str = ""


class DeferredDocuments(Sequence[IndexDocument]):
    """Documents made from database rows only when read (``make(row)``).

    A rebuild split between two processes slices this in each of them, so each
    makes only its half: making them is a third of a rebuild's reading at
    10,000 practices. ``slugs`` are known without making anything.
    """

    def __init__(self, rows: Sequence[Any], make: Callable[[Any], IndexDocument],
                 slugs: Sequence[str]) -> None:
        if len(rows) != len(slugs):
            raise ValueError("one slug per row")
        self._rows = rows
        self._make = make
        self.slugs = slugs

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> IndexDocument: ...
    @overload
    def __getitem__(self, i: slice) -> list[IndexDocument]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(map(self._make, self._rows[i]))
        return self._make(self._rows[i])


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    # facet name -> slugs; OR within one facet, AND across facets.
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    limit: int = 10
    offset: int = 0
    sort: str = "relevance"
    # The glossary: (acronym, expansion) pairs, expanded both ways at query time
    # ("CMP" <-> "centre médico-psychologique"); see ``querying.py``.
    synonyms: tuple[tuple[str, str], ...] = ()
    # The thesaurus (``kb.search.thesaurus.SynonymMap``), built once per version of it.
    thesaurus: Any = None


@dataclass(frozen=True)
class Hit:
    slug: str
    title: str
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words
    # Words of the query this practice lacks (partial results only), as typed.
    missing: tuple[str, ...] = ()
    # Labels of its facets: facet name -> labels ("landlord" -> ("Paris Habitat",)).
    facts: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class FacetCount:
    value: str  # slug
    label: str
    count: int


@dataclass(frozen=True)
class SearchResponse:
    total: int
    hits: list[Hit]
    # every facet of FACETS -> values with a non-zero count, by count desc then label
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None
    # A friendly French message when the query could not be used as typed.
    message: str | None = None
    # True when practices matching only some of the words follow the full matches.
    partial: bool = False
    # Words of the query that no practice (within the filters) contains, as typed.
    missing_terms: list[str] = field(default_factory=list)
    # Thesaurus terms the search was widened to that some result holds, as written there.
    expanded: list[str] = field(default_factory=list)
    # Words of the query that no published practice contains in any form, as typed.
    unknown_terms: list[str] = field(default_factory=list)
