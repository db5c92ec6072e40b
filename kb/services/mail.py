"""E-mail notifications: queued in the database, then delivered by SMTP or to a folder.

A message is first stored (``queue_mail``) in the same transaction as what it
announces, so a submission never exists without its message, and a message is
never lost when the mail server is down. ``deliver`` then sends what is
waiting: through ``KB_SMTP_URL`` when set, otherwise as ``.eml`` files in the
outbox folder (``<KB_HOME>/outbox/``), the embedded default. A failure is logged
and counted on the message, which stays queued: ``kb mail send`` (or the
"renvoyer" button of the moderation queue) retries it, up to ``MAX_ATTEMPTS``.

Every absolute link comes from ``KB_BASE_URL``, never from a request's Host
header, which a client chooses.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kb.config import home_dir
from kb.models import OutgoingMail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
SMTP_TIMEOUT = 10  # seconds: a request that sends mail stays bounded


@dataclass(frozen=True)
class MailSettings:
    """Where messages go and how links in them start."""

    smtp_url: str | None
    sender: str
    base_url: str
    outbox: Path

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        """From a Flask config or ``KB_*`` variables (keys without the prefix)."""
        host, port = config.get("HOST") or "127.0.0.1", config.get("PORT") or 5000
        base = str(config.get("BASE_URL") or f"http://{host}:{port}").rstrip("/")
        return cls(smtp_url=str(config.get("SMTP_URL") or "") or None,
                   sender=str(config.get("MAIL_FROM") or "kb <kb@localhost>"),
                   base_url=base,
                   outbox=Path(config.get("MAIL_OUTBOX") or home_dir() / "outbox"))

    def link(self, path: str) -> str:
        """An absolute link to a path of the site."""
        return self.base_url + "/" + path.lstrip("/")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# What no header may hold: every line break and control character (a stored title
# imported earlier may hold U+2028, which the e-mail package refuses in a header).
_HEADER_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str, limit: int = 200) -> str:
    """``text`` made safe for a header or a greeting: one line, no control character."""
    flat = " ".join(_HEADER_UNSAFE.sub(" ", text or "").split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def recipient(address: str) -> Address:
    """The ``To`` of a message: one address, parsed (a comma or an encoded word is refused)."""
    address = address.strip()
    if not address or "," in address or "=?" in address or _HEADER_UNSAFE.search(address):
        raise ValueError("not one plain e-mail address")
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise ValueError("not an e-mail address")
    return Address(addr_spec=address)


def compose(settings: MailSettings, to: str, subject: str, text: str) -> EmailMessage:
    """A message ready to send; ValueError when ``to`` is not one plain address."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient(to)
    message["Subject"] = one_line(subject, 250)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="kb.invalid")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    return message


def queue_mail(session: Session, settings: MailSettings, to: str, subject: str,
               text: str) -> OutgoingMail:
    """Store a message to send; the caller's transaction commits it with what it announces."""
    message = compose(settings, to, subject, text)
    row = OutgoingMail(recipient=to, subject=one_line(subject, 300), message=message.as_string(),
                       attempts=0)
    session.add(row)
    session.flush()
    return row


def _smtp(settings: MailSettings) -> smtplib.SMTP:
    url = urlsplit(settings.smtp_url or "")
    if url.scheme not in ("smtp", "smtps", "smtp+starttls"):
        raise ValueError("KB_SMTP_URL must start with smtp://, smtps:// or smtp+starttls://")
    host = url.hostname or "localhost"
    if url.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, url.port or 465, timeout=SMTP_TIMEOUT,
                                                context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, url.port or 25, timeout=SMTP_TIMEOUT)
        if url.scheme == "smtp+starttls":
            client.starttls(context=ssl.create_default_context())
    if url.username:
        client.login(unquote(url.username), unquote(url.password or ""))
    return client


def _write_eml(settings: MailSettings, row: OutgoingMail) -> None:
    settings.outbox.mkdir(parents=True, exist_ok=True)
    stamp = row.created_at.strftime("%Y%m%d-%H%M%S")
    path = settings.outbox / f"{stamp}-{row.id:06d}.eml"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(row.message, encoding="utf-8")
    tmp.replace(path)


def deliver(session: Session, settings: MailSettings, ids: Iterable[int] | None = None,
            limit: int = 200) -> tuple[int, int]:
    """Send the waiting messages (only ``ids`` when given); (sent, failed)."""
    stmt = (select(OutgoingMail).where(OutgoingMail.sent_at.is_(None),
                                       OutgoingMail.attempts < MAX_ATTEMPTS)
            .order_by(OutgoingMail.id).limit(limit))
    if ids is not None:
        stmt = stmt.where(OutgoingMail.id.in_(list(ids)))
    rows = list(session.scalars(stmt))
    if not rows:
        return 0, 0
    sent = failed = 0
    client = None
    try:
        for row in rows:
            row.attempts += 1
            try:
                if settings.smtp_url:
                    client = client or _smtp(settings)
                    # SMTP wants CRLF line ends; smtplib leaves bytes as they are.
                    wire = row.message.replace("\r\n", "\n").replace("\n", "\r\n")
                    client.sendmail(_address(settings.sender), [row.recipient],
                                    wire.encode("utf-8"))
                else:
                    _write_eml(settings, row)
            except (smtplib.SMTPException, OSError) as exc:
                # Kept queued and shown to moderators; the submission itself is already saved.
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                log.warning("mail %d to %s not sent (attempt %d): %s", row.id, row.recipient,
                            row.attempts, row.last_error)
                failed += 1
                client = _close(client)
                continue
            # Sent: the text (a private link, an address) is no longer kept in the database.
            row.sent_at, row.last_error, row.message = _now(), None, ""
            sent += 1
    finally:
        _close(client)
        session.flush()
    return sent, failed


def _close(client: smtplib.SMTP | None) -> None:
    if client is not None:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()
    return None


def _address(sender: str) -> str:
    from email.utils import parseaddr

    return parseaddr(sender)[1] or sender


@dataclass(frozen=True)
class MailProblems:
    """What moderators see of undelivered messages."""

    waiting: int
    failed: int
    last_error: str | None


def find_mail_problems(session: Session) -> MailProblems:
    unsent = select(OutgoingMail).where(OutgoingMail.sent_at.is_(None)).subquery()
    waiting = session.scalar(select(func.count()).select_from(unsent)) or 0
    failed_rows = (select(OutgoingMail).where(OutgoingMail.sent_at.is_(None),
                                              OutgoingMail.attempts > 0)
                   .order_by(OutgoingMail.id.desc()))
    failed = session.scalar(select(func.count()).select_from(failed_rows.subquery())) or 0
    last = session.scalars(failed_rows.limit(1)).first()
    return MailProblems(waiting, failed, last.last_error if last else None)


def forget_recipient(session: Session, email: str) -> int:
    """Delete every message to ``email`` (a contributor asking to be forgotten)."""
    result = session.execute(delete(OutgoingMail).where(
        func.lower(OutgoingMail.recipient) == email.strip().lower())
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def queue_digests(session: Session, settings: MailSettings, now: dt.datetime | None = None,
                  hours: int = 24) -> int:
    """One summary to each moderator who chose the daily digest; the number queued.

    It lists the proposals still waiting that arrived in the last ``hours``, in the
    language of the site the moderator last signed in to; nothing is sent when there
    are none.
    """
    from kb.models import PENDING, Contribution, Moderator

    since = (now or _now()) - dt.timedelta(hours=hours)
    waiting = list(session.scalars(select(Contribution).where(
        Contribution.status == PENDING, Contribution.created_at >= since)
        .order_by(Contribution.created_at)))
    if not waiting:
        return 0
    queued = 0
    for moderator in session.scalars(select(Moderator).where(Moderator.active.is_(True),
                                                             Moderator.notify == "digest")):
        subject, text = _digest(settings, waiting, moderator.locale)
        queue_mail(session, settings, moderator.email, subject, text)
        queued += 1
    return queued


def _digest(settings: MailSettings, waiting: list, locale: str) -> tuple[str, str]:
    """(subject, text) of the daily digest listing ``waiting``, in ``locale``."""
    from kb.catalogues import translations_for
    from kb.models import CONTRIBUTION_CORRECTION
    from kb.services.contributions.submissions import contribution_record

    catalogue = translations_for(locale)
    _, ngettext = catalogue.gettext, catalogue.ngettext
    count = len(waiting)
    suffix = "?lang=en" if locale == "en" else ""  # the links open the site in their language
    lines = [f"- {contribution_record(c).title} "
             f"({_('correction') if c.kind == CONTRIBUTION_CORRECTION else _('nouvelle pratique')})"
             f" — {settings.link(f'/moderation/{c.id}{suffix}')}"
             for c in waiting]
    text = "\n".join([
        ngettext("%(num)d proposition attend une relecture :",
                 "%(num)d propositions attendent une relecture :", count) % {"num": count},
        "", *lines, "",
        _("Vous recevez ce résumé quotidien parce que vous l’avez choisi dans la file de "
          "relecture."),
        "", "-- ", _("kb, pratiques du logement social")])
    subject = ngettext("kb : %(num)d proposition à relire", "kb : %(num)d propositions à relire",
                       count) % {"num": count}
    return subject, text
