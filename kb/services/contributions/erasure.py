"""Forgetting a contributor (``kb forget-contributor``): their name and address, everywhere.

A person's name and address can sit in more places than the two columns of
their contributions: the form as typed (a saved draft's JSON keeps ``name`` and
``email`` fields, and any field may repeat them), the version under review,
revisions, the moderation journal's reasons, messages (sent or waiting, to them
or to moderators about them), the ``.eml`` copies of the outbox folder and the
anonymous search log (someone may have searched for their own name). All of
them are scrubbed here, in Python rather than SQL so that case folding is the
same on SQLite (whose ``lower()`` knows ASCII only) and PostgreSQL.

The content stays: only the name and the address are replaced (by
``[nom effacé]`` and ``[adresse effacée]``) or, in the name and e-mail columns,
emptied. Messages and search-log rows that mention the person are deleted
(a message cannot be edited once sent, and a search is worthless without its
words). The published corpus is not rewritten behind the moderators' back: a
published text that still holds the address is reported, table and column, for
a moderator to correct (practices name roles, never private persons).
"""

from __future__ import annotations

import email
import email.policy
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import String, Text, delete, func, select
from sqlalchemy.orm import Session

from kb.models import AuditLog, Base, Contribution, OutgoingMail, Revision, SearchLogEntry
from kb.services.contributions.submissions import normalise_email

ERASED_NAME = "[nom effacé]"
ERASED_EMAIL = "[adresse effacée]"
# Shorter names are replaced only in the person's own rows: "Jo" would mangle other text.
NAME_MIN_ELSEWHERE = 4
_BATCH = 500
# Tables scrubbed here; any other table still holding the address is reported.
_SCRUBBED = {Contribution.__tablename__, Revision.__tablename__, AuditLog.__tablename__,
             OutgoingMail.__tablename__, SearchLogEntry.__tablename__}


@dataclass
class Erasure:
    """What ``forget_contributor`` changed."""

    records: int = 0   # contributions and revisions edited
    journal: int = 0   # moderation-journal entries edited
    mails: int = 0     # messages deleted from the database
    files: int = 0     # outbox files deleted
    searches: int = 0  # search-log rows deleted
    left: list[str] = field(default_factory=list)  # "table.column" still holding the address


class _Needles:
    """The address and names to erase, matched case-insensitively (as typed or HTML-escaped)."""

    def __init__(self, address: str, names: Iterable[str]) -> None:
        self.address = address
        self.names = sorted({n for n in (name.strip() for name in names) if n}, key=len,
                            reverse=True)
        self._address = self._pattern([address])
        self._own_names = self._pattern(self.names)
        self._names = self._pattern([n for n in self.names if len(n) >= NAME_MIN_ELSEWHERE])

    @staticmethod
    def _pattern(words: list[str]) -> re.Pattern[str] | None:
        variants = sorted({v for w in words for v in (w, html.escape(w, quote=True)) if v},
                          key=len, reverse=True)
        if not variants:
            return None
        return re.compile("|".join(re.escape(v) for v in variants), re.IGNORECASE)

    def found(self, text: str, own: bool = False) -> bool:
        names = self._own_names if own else self._names
        return bool((self._address and self._address.search(text))
                    or (names and names.search(text)))

    def scrub(self, text: str, own: bool = False) -> str:
        if self._address is not None:
            text = self._address.sub(ERASED_EMAIL, text)
        names = self._own_names if own else self._names
        return names.sub(ERASED_NAME, text) if names is not None else text


def _scrub_json(text: str, needles: _Needles, own: bool) -> str:
    """``text`` (a stored form or record, JSON) with the person's name and address erased.

    Parsed, not edited as text: a name holding a quote is escaped in the JSON.
    A form's own ``name`` and ``email`` fields are emptied.
    """
    try:
        data = json.loads(text)
    except ValueError:
        return needles.scrub(text, own)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return needles.scrub(value, own)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    data = walk(data)
    if own and isinstance(data, dict):
        for key in ("name", "email"):
            if key in data and isinstance(data[key], str):
                data[key] = ""
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _their_contributions(session: Session, address: str) -> list[Contribution]:
    """Contributions under the address, or whose stored form holds it (in any case)."""
    own = list(session.scalars(select(Contribution).where(
        Contribution.contributor_email == address)))
    known = {c.id for c in own}
    for contribution in session.scalars(select(Contribution).where(
            Contribution.id.not_in(known) if known else Contribution.id.is_not(None))
            .execution_options(yield_per=_BATCH)):
        text = f"{contribution.submitted}\n{contribution.record}".casefold()
        if address in text:
            own.append(contribution)
    return own


def _typed_names(contribution: Contribution) -> list[str]:
    names = [contribution.contributor_name or ""]
    for text in (contribution.submitted, contribution.record):
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            names.append(data["name"])
    return names


def _erase_contributions(session: Session, contributions: list[Contribution],
                         needles: _Needles) -> int:
    changed = 0
    theirs = {c.id for c in contributions}
    for contribution in session.scalars(select(Contribution).execution_options(yield_per=_BATCH)):
        own = contribution.id in theirs
        before = (contribution.submitted, contribution.record, contribution.note,
                  contribution.reason, contribution.contributor_name,
                  contribution.contributor_email)
        if own:
            contribution.contributor_name = contribution.contributor_email = None
        if own or needles.found(f"{contribution.submitted}\n{contribution.record}"):
            contribution.submitted = _scrub_json(contribution.submitted, needles, own)
            contribution.record = _scrub_json(contribution.record, needles, own)
        for name in ("note", "reason"):
            value = getattr(contribution, name)
            if value:
                setattr(contribution, name, needles.scrub(value, own))
        if before != (contribution.submitted, contribution.record, contribution.note,
                      contribution.reason, contribution.contributor_name,
                      contribution.contributor_email):
            changed += 1
    return changed


def _erase_revisions(session: Session, address: str, contribution_ids: set[int],
                     needles: _Needles) -> int:
    changed = 0
    for revision in session.scalars(select(Revision).execution_options(yield_per=_BATCH)):
        own = revision.contributor_email == address or revision.contribution_id in contribution_ids
        before = (revision.snapshot, revision.html, revision.note, revision.contributor_name,
                  revision.contributor_email)
        if own:
            revision.contributor_name = revision.contributor_email = None
        for name in ("snapshot", "html", "note"):
            value = getattr(revision, name)
            if value and needles.found(value, own):
                setattr(revision, name, needles.scrub(value, own))
        if before != (revision.snapshot, revision.html, revision.note, revision.contributor_name,
                      revision.contributor_email):
            changed += 1
    return changed


def _erase_journal(session: Session, contribution_ids: set[int], needles: _Needles) -> int:
    changed = 0
    targets = {f"contribution:{n}" for n in contribution_ids}
    for entry in session.scalars(select(AuditLog).where(AuditLog.reason.is_not(None))):
        own = entry.target in targets
        if needles.found(entry.reason or "", own):
            entry.reason = needles.scrub(entry.reason or "", own)
            changed += 1
    return changed


def _message_text(raw: str) -> str:
    """A message as stored, plus its decoded headers and text parts (quoted-printable, base64)."""
    parts = [raw]
    try:
        message = email.message_from_string(raw, policy=email.policy.default)
        parts += [str(value) for value in message.values()]
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts.append(part.get_content())
    except Exception:  # noqa: BLE001 - a malformed stored message is matched on its raw text
        pass
    return "\n".join(parts)


def _erase_mails(session: Session, address: str, needles: _Needles) -> int:
    doomed = [row.id for row in session.scalars(select(OutgoingMail)
                                                .execution_options(yield_per=_BATCH))
              if row.recipient.strip().casefold() == address
              or needles.found(_message_text(row.message), own=True)]
    for start in range(0, len(doomed), _BATCH):
        session.execute(delete(OutgoingMail).where(OutgoingMail.id.in_(doomed[start:start + _BATCH]))
                        .execution_options(synchronize_session=False))
    return len(doomed)


def _erase_outbox(outbox: Path | None, needles: _Needles) -> int:
    if outbox is None or not outbox.is_dir():
        return 0
    removed = 0
    for path in sorted(outbox.iterdir()):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if needles.found(_message_text(text), own=True):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _erase_searches(session: Session, needles: _Needles) -> int:
    doomed = [row_id for row_id, query in session.execute(
        select(SearchLogEntry.id, SearchLogEntry.query).execution_options(yield_per=_BATCH))
        if needles.found(query or "")]
    for start in range(0, len(doomed), _BATCH):
        session.execute(delete(SearchLogEntry).where(
            SearchLogEntry.id.in_(doomed[start:start + _BATCH]))
            .execution_options(synchronize_session=False))
    return len(doomed)


def _still_holding(session: Session, address: str) -> list[str]:
    """``table.column`` of the other tables where the address still appears (any case)."""
    left = []
    for table in Base.metadata.sorted_tables:
        if table.name in _SCRUBBED:
            continue
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        for column in columns:
            hit = session.execute(select(func.count()).select_from(table).where(
                func.lower(column).contains(address, autoescape=True))).scalar()
            if hit:
                left.append(f"{table.name}.{column.name}")
    return left


def forget_contributor(session: Session, address: str, outbox: Path | None = None) -> Erasure:
    """Erase the person with this address from the database and the ``outbox`` folder."""
    address = normalise_email(address).casefold()
    result = Erasure()
    if not address:
        return result
    contributions = _their_contributions(session, address)
    ids = {c.id for c in contributions}
    names = [name for c in contributions for name in _typed_names(c)]
    names += [name for (name,) in session.execute(select(Revision.contributor_name).where(
        Revision.contributor_email == address, Revision.contributor_name.is_not(None)))]
    needles = _Needles(address, names)
    result.records = (_erase_contributions(session, contributions, needles)
                      + _erase_revisions(session, address, ids, needles))
    result.journal = _erase_journal(session, ids, needles)
    result.mails = _erase_mails(session, address, needles)
    result.searches = _erase_searches(session, needles)
    session.flush()
    result.left = _still_holding(session, address)
    result.files = _erase_outbox(outbox, needles)
    return result
