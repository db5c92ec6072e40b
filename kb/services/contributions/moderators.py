"""Moderator accounts: passwords hashed with werkzeug's default (scrypt)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from kb.models import Moderator
from kb.services.contributions.submissions import normalise_email

PASSWORD_MIN = 10


@cache
def _dummy_hash() -> str:
    # Checked when the e-mail is unknown, so a wrong address costs as long as a wrong password.
    return generate_password_hash("kb-no-such-moderator")


class AccountError(ValueError):
    """A moderator account could not be created (message in French)."""


def add_moderator(session: Session, email: str, password: str,
                  display_name: str | None = None) -> Moderator:
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError(f"adresse électronique invalide : {email}")
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"mot de passe trop court : {PASSWORD_MIN} caractères au moins")
    if find_moderator(session, email) is not None:
        raise AccountError(f"un compte existe déjà pour {email}")
    moderator = Moderator(email=email, password_hash=generate_password_hash(password),
                          display_name=(display_name or "").strip() or None, active=True)
    session.add(moderator)
    session.flush()
    return moderator


def find_moderator(session: Session, email: str) -> Moderator | None:
    return session.scalars(select(Moderator).where(
        Moderator.email == normalise_email(email))).first()


def find_moderators(session: Session) -> list[Moderator]:
    return list(session.scalars(select(Moderator).order_by(Moderator.id)))


def remove_moderator(session: Session, email: str) -> bool:
    """Delete an account; its past actions stay in the history and the audit log."""
    moderator = find_moderator(session, email)
    if moderator is None:
        return False
    session.delete(moderator)
    session.flush()
    return True


def authenticate(session: Session, email: str, password: str) -> Moderator | None:
    """The active moderator with this e-mail and password, or None."""
    moderator = find_moderator(session, email) if email else None
    if moderator is None or not moderator.active:
        check_password_hash(_dummy_hash(), password)
        return None
    return moderator if check_password_hash(moderator.password_hash, password) else None
