"""Moderator accounts: passwords hashed with werkzeug's default (scrypt).

Each account has a random ``session_key`` and a ``session_version``: the
session cookie carries both (never the e-mail or the id), and every request
compares them: logout, a password change or removal (the row is gone) ends
every session of the account, wherever it was opened.

Passwords are refused when short, one character repeated, among the 30,000
most common passwords of public breaches (the list zxcvbn ships), or easy to
guess by zxcvbn's estimate (under 10^8 guesses: dictionary words, keyboard
walks, dates, sequences, the account's own address).
"""

from __future__ import annotations

import hmac
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from kb.models import Moderator
from kb.services.contributions.submissions import normalise_email

PASSWORD_MIN = 10
PASSWORD_MAX = 200
# zxcvbn refuses longer input (its cost grows with the length): the estimate reads the
# first 72 characters, as many as bcrypt would ever read.
ESTIMATE_CHARS = 72
# zxcvbn's score 3: at least 10^8 guesses. Enough behind the sign-in rate limits.
PASSWORD_SCORE = 3


@cache
def _dummy_hash() -> str:
    # Checked when the e-mail is unknown, so a wrong address costs as long as a wrong password.
    return generate_password_hash("kb-no-such-moderator")


class AccountError(ValueError):
    """A moderator account could not be created (message in French)."""


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, email: str = "") -> None:
    """Raise AccountError (in French) unless ``password`` is long and hard enough to guess."""
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"mot de passe trop court : {PASSWORD_MIN} caractères au moins")
    if len(password) > PASSWORD_MAX:
        raise AccountError(f"mot de passe trop long : {PASSWORD_MAX} caractères au plus")
    if len(set(password)) == 1:
        raise AccountError("mot de passe refusé : un seul caractère répété")
    if password.lower() in _common_passwords():
        raise AccountError("mot de passe refusé : il fait partie des mots de passe les plus "
                           "courants (listes de fuites publiques) ; choisissez-en un autre")
    hints = [email, *email.replace("@", " ").replace(".", " ").split()] if email else []
    if zxcvbn(password[:ESTIMATE_CHARS], user_inputs=hints)["score"] < PASSWORD_SCORE:
        raise AccountError("mot de passe refusé : trop facile à deviner (mot du dictionnaire, "
                           "suite de touches ou de chiffres, date, adresse du compte) ; "
                           "allongez-le, par exemple avec plusieurs mots sans lien")


def add_moderator(session: Session, email: str, password: str,
                  display_name: str | None = None) -> Moderator:
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError(f"adresse électronique invalide : {email}")
    check_password(password, email)
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
    check_password(password, moderator.email)
    moderator.password_hash = generate_password_hash(password)
    end_sessions(moderator)
    session.flush()
    return moderator


def end_sessions(moderator: Moderator) -> None:
    """Make every session cookie issued to ``moderator`` so far invalid."""
    moderator.session_version = (moderator.session_version or 1) + 1


def session_moderator(session: Session, key: object, version: object) -> Moderator | None:
    """The active moderator a session cookie carrying ``key`` and ``version`` still opens."""
    if not isinstance(key, str) or not key or len(key) > 64:
        return None
    moderator = session.scalars(select(Moderator).where(Moderator.session_key == key)).first()
    if moderator is None or not hmac.compare_digest(moderator.session_key, key):
        return None
    return moderator if moderator.active and version == moderator.session_version else None


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
