"""Practice vectors in the database: read by content hash, written once."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import delete, func, select

from kb.models import Practice, PracticeTheme, PracticeVector, Theme

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CHUNK = 500  # hashes per IN (...) list


def published_texts(session: Session) -> list[tuple[str, str, str, str]]:
    """(slug, title, summary, body) of every published practice, by slug."""
    rows = session.execute(select(Practice.slug, Practice.title, Practice.summary, Practice.body)
                           .where(Practice.published.is_(True)).order_by(Practice.slug))
    return [(r.slug, r.title, r.summary, r.body or "") for r in rows]


def published_themes(session: Session) -> dict[str, set[str]]:
    """slug -> theme slugs, for published practices."""
    themes: dict[str, set[str]] = {}
    rows = session.execute(select(Practice.slug, Theme.slug)
                           .join(PracticeTheme, PracticeTheme.practice_id == Practice.id)
                           .join(Theme, Theme.id == PracticeTheme.theme_id)
                           .where(Practice.published.is_(True)))
    for slug, theme in rows:
        themes.setdefault(slug, set()).add(theme)
    return themes


def vectors_version(session: Session) -> int:
    """The highest id: it grows whenever vectors are added. (Pruning removes only
    vectors of content no practice has: a matrix holding them still maps no one.)"""
    return session.scalar(select(func.max(PracticeVector.id))) or 0


def stored_hashes(session: Session, model: str) -> set[str]:
    return set(session.scalars(select(PracticeVector.content_hash).where(
        PracticeVector.model == model, PracticeVector.position == 0)))


def load_vectors(session: Session, hashes: Collection[str], model: str) -> dict[str, np.ndarray]:
    """content hash -> (passages, dims) float16 matrix, for the hashes stored (the
    caller stacks them into one float32 matrix: half the peak memory of a rebuild)."""
    found: dict[str, list[tuple[int, np.ndarray]]] = {}
    wanted = list(hashes)
    for i in range(0, len(wanted), CHUNK):
        rows = session.execute(select(PracticeVector.content_hash, PracticeVector.position,
                                      PracticeVector.vector)
                               .where(PracticeVector.model == model,
                                      PracticeVector.content_hash.in_(wanted[i:i + CHUNK])))
        for key, position, blob in rows:
            found.setdefault(key, []).append((position, np.frombuffer(blob, dtype=np.float16)))
    return {key: np.vstack([v for _, v in sorted(parts, key=lambda p: p[0])])
            for key, parts in found.items()}


def save_vectors(session: Session, key: str, matrix: np.ndarray, model: str) -> None:
    """Store one content's passage vectors (float16: half the bytes, same ranking)."""
    session.execute(delete(PracticeVector).where(PracticeVector.content_hash == key))
    session.add_all(PracticeVector(content_hash=key, position=i, model=model, dims=int(row.shape[0]),
                                   vector=row.astype(np.float16).tobytes())
                    for i, row in enumerate(matrix))


def prune_vectors(session: Session, keep: Iterable[str]) -> int:
    """Delete vectors of content no practice has any more; how many contents went."""
    stale = set(session.scalars(select(PracticeVector.content_hash).distinct())) - set(keep)
    gone = list(stale)
    for i in range(0, len(gone), CHUNK):
        session.execute(delete(PracticeVector).where(PracticeVector.content_hash.in_(gone[i:i + CHUNK])))
    return len(gone)
