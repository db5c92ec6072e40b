"""Sentence vectors of practice content, keyed by a hash of what was embedded.

Keyed by content rather than by practice: a reindex, a re-import of the same
text or a second host sharing the database finds them and computes nothing.
Rows whose content no practice has any more are harmless (``kb embed`` prunes them).
"""

from __future__ import annotations

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base


class PracticeVector(Base):
    """One passage's vector: float16 bytes (``dims`` values), position 0 = title + summary."""

    __tablename__ = "practice_vectors"
    __table_args__ = (UniqueConstraint("content_hash", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(40))
    dims: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
