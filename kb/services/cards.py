"""A result card: what lists show of a practice besides its title and snippet.

Its own module so that ``kb search``, which builds cards from the index alone, does
not load the browsing queries (and SQLAlchemy) to name the type.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PracticeCard:
    """What a result list shows of a practice besides its title and snippet."""

    slug: str
    title: str
    landlords: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    started: str | None = None
    status: str | None = None
