"""The ``kb`` command line: thin click commands over the services.

Every command imports what it needs inside its function: ``kb --help`` loads
click only, and ``kb search`` never loads Flask or Alembic (a command answers
in a fraction of a second, not after importing the whole web stack).

One module per group of commands; importing them registers their commands on
``main`` (kb.cli.base). The entry point stays ``kb.cli:main``.
"""

from kb.cli import (  # noqa: F401 - each module registers its commands on main
    corpus,
    drafts,
    meaning,
    moderation,
    operations,
    search,
    search_log,
    sheets,
)
from kb.cli.base import CommandError, main
from kb.cli.search import FACET_OPTIONS, MAX_LIMIT, SORT_CHOICES

__all__ = ["FACET_OPTIONS", "MAX_LIMIT", "SORT_CHOICES", "CommandError", "main"]
