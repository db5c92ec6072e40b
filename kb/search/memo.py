"""A bounded memo of a one-argument function, read in C.

The analysis looks up a few hundred words per document in memos (a rebuild of
10,000 practices: millions of look-ups). ``functools.lru_cache`` keeps its
recency list up to date on every hit; a dict subclass whose ``__missing__``
computes the value answers a hit in half the time (``memo[word]``, or
``map(memo.__getitem__, words)``). The bound is kept by forgetting everything
when it is reached: rare, and a long-running server fed new words stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(dict, Generic[K, V]):
    __slots__ = ("func", "maxsize")

    def __init__(self, func: Callable[[K], V], maxsize: int) -> None:
        super().__init__()
        self.func = func
        self.maxsize = maxsize

    def __missing__(self, key: K) -> V:
        value = self.func(key)
        if len(self) >= self.maxsize:
            self.clear()
        self[key] = value
        return value

    def __call__(self, key: K) -> V:
        return self[key]

    def __repr__(self) -> str:  # not the whole memo in a log line or traceback
        return f"<Memo of {getattr(self.func, '__qualname__', self.func)}: {len(self)} entries>"
