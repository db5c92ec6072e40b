"""The meaning layer at run time: practice vectors made once, held as one matrix.

Vectors are computed per practice content (see ``kb.search.meaning.passages``)
and stored under a content hash (``practice_vectors``). Each process holds the
published practices' vectors as one float32 matrix of unit rows, rebuilt when
the change log or the vector table moves (the same signal the index follower
reads). A practice without vectors yet is simply absent from the matrix: it is
still found by its words, and never by meaning.

``KB_MEANING=0`` turns the layer off (see ``kb.services.hybrid.enabled``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import func, select

from kb.forked import map_in_two
from kb.models import ChangeLog
from kb.search import meaning as model
from kb.storage import vectors as store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Contents per batch handed to the model while embedding (and per progress step).
EMBED_BATCH = 64


@dataclass(frozen=True)
class Practices:
    """The published practices that have vectors: one matrix, rows grouped by practice."""

    slugs: list[str]
    titles: list[str]
    summaries: list[str]
    matrix: np.ndarray  # (rows, DIMS) float32, unit rows
    starts: np.ndarray  # first row of each practice (np.maximum.reduceat over rows)
    heads: np.ndarray  # the title + summary row of each practice
    missing: int  # published practices without vectors yet
    counts: np.ndarray  # passages of each practice
    mean_norms: np.ndarray  # length of the mean of each practice's passages
    themes: list[frozenset[str]]

    def best(self, vector: np.ndarray) -> np.ndarray:
        """Each practice's best passage similarity to ``vector``."""
        if not self.slugs:
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(self.matrix @ vector, self.starts)

    def top(self, scores: np.ndarray, floor: float, limit: int,
            exclude: Collection[str] = ()) -> list[tuple[int, float]]:
        """(practice position, score) of the best ``limit`` at or above ``floor``."""
        out = []
        # Only the best few are sorted: a full sort of 10,000 scores costs more.
        wanted = min(len(scores), limit + len(exclude))
        best = np.argpartition(-scores, wanted - 1)[:wanted] if wanted else []
        for i in sorted(best, key=lambda i: -scores[i]):
            if scores[i] < floor or len(out) >= limit:
                break
            if self.slugs[i] not in exclude:
                out.append((int(i), float(scores[i])))
        return out

    def position(self, slug: str) -> int | None:
        try:
            return self.slugs.index(slug)
        except ValueError:
            return None


# "Pratiques proches": a shared theme (Jaccard of the theme sets) adds up to this much
# to the similarity of two sheets. Without it, the 3F mobile tranquillity team's
# neighbours were an eviction team and an energy partnership ("équipe", "locataires");
# with it, four of five are tranquillity or mediation sheets (tests/meaning).
THEME_BONUS = 0.15
_cache: dict[str, tuple[tuple, Practices]] = {}
_lock = threading.Lock()


def _version(session: Session) -> tuple:
    latest = session.scalar(select(func.max(ChangeLog.id))) or 0
    return latest, store.vectors_version(session)


def _contents(session: Session) -> list[tuple[str, str, str, str, str, list[str]]]:
    """(slug, title, summary, body, hash, passages) of each published practice."""
    out = []
    for slug, title, summary, body in store.published_texts(session):
        texts = model.passages(title, summary, body)
        out.append((slug, title, summary, body, model.content_hash(texts), texts))
    return out


def practices(session: Session) -> Practices:
    """This process's matrix for the session's database, rebuilt when it changed."""
    key = str(session.get_bind().url)
    version = _version(session)
    with _lock:
        held = _cache.get(key)
        if held is not None and held[0] == version:
            return held[1]
    contents = _contents(session)
    found = store.load_vectors(session, {c[4] for c in contents}, model.MODEL)
    slugs, titles, summaries, blocks, starts, heads = [], [], [], [], [], []
    row = 0
    for slug, title, summary, _, digest, _ in contents:
        vectors = found.get(digest)
        if vectors is None:
            continue
        slugs.append(slug)
        titles.append(title)
        summaries.append(summary)
        starts.append(row)
        heads.append(row)
        blocks.append(vectors)
        row += len(vectors)
    if not blocks:
        held_now = Practices([], [], [], np.zeros((0, model.DIMS), np.float32),
                             np.zeros(0, np.int64), np.zeros(0, np.int64), len(contents),
                             np.zeros(0, np.int64), np.zeros(0, np.float32), [])
    else:
        matrix = np.empty((row, model.DIMS), np.float32)
        for start, block in zip(starts, blocks, strict=True):
            matrix[start:start + len(block)] = block
        counts = np.asarray([len(b) for b in blocks], np.int64)
        del blocks, found
        starts_a = np.asarray(starts, np.int64)
        means = np.add.reduceat(matrix, starts_a, axis=0) / counts[:, None]
        themes = store.published_themes(session)
        held_now = Practices(slugs, titles, summaries, matrix, starts_a, np.asarray(heads, np.int64),
                             len(contents) - len(slugs), counts,
                             np.linalg.norm(means, axis=1).astype(np.float32),
                             [frozenset(themes.get(slug, ())) for slug in slugs])
    with _lock:
        if len(_cache) >= 8:
            _cache.clear()
        _cache[key] = (version, held_now)
    return held_now


def missing_count(session: Session) -> int:
    """Published practices whose current content has no vectors."""
    stored = store.stored_hashes(session, model.MODEL)
    return sum(1 for c in _contents(session) if c[4] not in stored)


def _encode_batch(batch: list[list[str]]) -> list[np.ndarray]:
    flat = [text for texts in batch for text in texts]
    vectors = model.encode(flat)
    out, row = [], 0
    for texts in batch:
        out.append(vectors[row:row + len(texts)])
        row += len(texts)
    return out


def embed_missing(session: Session, progress: Callable[[int], None] | None = None,
                  prune: bool = False) -> int:
    """Compute and store the vectors that published practices lack; how many practices.

    Split between two processes (``kb.forked``) when there are enough of them;
    stored batch by batch, so an interrupted run keeps what it made.
    """
    contents = _contents(session)
    stored = store.stored_hashes(session, model.MODEL)
    todo: dict[str, list[str]] = {}
    for c in contents:
        if c[4] not in stored:
            todo.setdefault(c[4], c[5])
    keys = list(todo)
    if keys:
        model.load()
    step = EMBED_BATCH * 2
    for i in range(0, len(keys), step):
        part = keys[i:i + step]
        batches = [[todo[k] for k in part[j:j + EMBED_BATCH]] for j in range(0, len(part), EMBED_BATCH)]
        results = [m for chunk in map_in_two(_encode_batch, batches, minimum=2) for m in chunk]
        for key, matrix in zip(part, results, strict=True):
            store.save_vectors(session, key, matrix, model.MODEL)
        session.flush()
        session.commit()
        if progress is not None:
            progress(len(part))
    if prune:
        store.prune_vectors(session, {c[4] for c in contents})
        session.commit()
    return len(keys)


def query_similarities(session: Session, text: str) -> tuple[Practices, np.ndarray]:
    """The matrix and each practice's similarity to the query ``text``."""
    held = practices(session)
    if not held.slugs or not text.strip():
        return held, np.zeros(len(held.slugs), dtype=np.float32)
    return held, held.best(model.encode([text])[0])


def text_similarities(session: Session, title: str, summary: str) -> tuple[Practices, np.ndarray]:
    """Similarity of each practice to a write-up's head (title and summary)."""
    held = practices(session)
    if not held.slugs:
        return held, np.zeros(0, dtype=np.float32)
    vector = model.encode(model.passages(title, summary, "")[:1])[0]
    return held, held.matrix[held.heads] @ vector


def related(session: Session, slug: str, limit: int) -> list[tuple[str, str, float]] | None:
    """(slug, title, score) of the practices closest to ``slug``; None when ``slug`` has
    no vectors yet (the caller falls back to shared words).

    Whole sheet against whole sheet: the cosine of the means of their passages,
    plus ``THEME_BONUS`` times the share of their themes in common.
    """
    held = practices(session)
    at = held.position(slug)
    if at is None:
        return None
    start, count = held.starts[at], held.counts[at]
    mine = held.matrix[start:start + count].mean(axis=0)
    mine /= max(float(np.linalg.norm(mine)), 1e-12)
    sums = np.add.reduceat(held.matrix @ mine, held.starts)
    scores = sums / held.counts / np.maximum(held.mean_norms, 1e-12)
    own = held.themes[at]
    if own:
        scores = scores + THEME_BONUS * np.asarray(
            [len(own & t) / len(own | t) for t in held.themes], dtype=np.float32)
    scores[at] = -1.0
    order = np.argsort(-scores)[:limit]
    return [(held.slugs[i], held.titles[i], float(scores[i])) for i in order if scores[i] > 0]

