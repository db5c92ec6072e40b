"""Moderator accounts: passwords hashed with werkzeug's default (scrypt).

Each account has a ``session_version``, copied into the session cookie at
login and compared on every request: logout, a password change or removal
(the row is gone) ends every session of the account, wherever it was opened.
"""

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


def change_password(session: Session, email: str, password: str) -> Moderator:
    """Set a new password and end the account's open sessions."""
    moderator = find_moderator(session, email)
    if moderator is None:
        raise AccountError(f"aucun modérateur n'a l'adresse {normalise_email(email)}")
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"mot de passe trop court : {PASSWORD_MIN} caractères au moins")
    moderator.password_hash = generate_password_hash(password)
    end_sessions(moderator)
    session.flush()
    return moderator


def end_sessions(moderator: Moderator) -> None:
    """Make every session cookie issued to ``moderator`` so far invalid."""
    moderator.session_version = (moderator.session_version or 1) + 1


def session_valid(moderator: Moderator | None, version: object) -> bool:
    """Whether a session carrying ``version`` still opens ``moderator``'s account."""
    return moderator is not None and moderator.active and version == moderator.session_version


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
