"""The one declarative base every table derives from, and what several tables share."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase

LANDLORD, PARTNER = "landlord", "partner"
CITY, DISTRICT = "city", "district"


class Base(DeclarativeBase):
    pass


def _utcnow() -> dt.datetime:
    """Naive UTC with microseconds, set by Python so rows order the same on every database."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
