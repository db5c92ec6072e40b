"""The e-mails of contributing and moderating: written here, queued, then delivered.

Each message is rendered in the language of the page that triggers it
(templates ``contribute/mail/*.txt``), queued in the caller's write session
(``kb.services.mail.queue_mail``) and delivered after the commit by
``deliver_pending``: a mail server down never undoes a submission or a decision.

A visitor gives any address they like, so until its owner has opened a link kb
mailed to it (the follow link of a mail carries a code the page's copy lacks,
``submissions.confirm_address``), a message to it holds only kb's own words and
the link: no name, title or note typed by the visitor, in the subject or the
text; and at most ``KB_MAIL_UNVERIFIED_RATE`` (default 3/day) go to it. Once
verified, a message may quote the contributor's own name and title back to them.
A value that cannot go into a header is flattened to one line
(``mail.one_line``); an address that is not one plain address is never queued,
and never undoes what the message announces.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app, g, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from kb import storage
from kb.models import Contribution
from kb.services import mail
from kb.services.contributions import submissions
from kb.services.contributions.limits import single_address
from kb.services.contributions.ratelimit import Rate
from kb.web import runtime
from kb.web.i18n import LOCALES

log = logging.getLogger(__name__)
DEFAULT_UNVERIFIED_RATE = "3/day"


def mail_settings() -> mail.MailSettings:
    settings = current_app.extensions.get("kb_mail")
    if settings is None:
        settings = current_app.extensions["kb_mail"] = mail.MailSettings.from_config(
            current_app.config)
    return settings


def site_link(endpoint: str, **values) -> str:
    """An absolute link built on KB_BASE_URL (never on the request's Host header)."""
    return mail_settings().link(url_for(endpoint, **values))


def _language() -> dict[str, str]:
    """``lang=en`` for the links of an English message, so they open the English site."""
    return {"lang": "en"} if str(get_locale()) == "en" else {}


def follow_url(token: str, code: str | None = None) -> str:
    """The private link; with ``code``, the mailed copy that proves the address."""
    extra = {"v": code} if code else {}
    return site_link("contribute.follow", token=token, **extra, **_language())


def _queue(session: Session, to: str | None, subject: str, template: str, **context) -> bool:
    """Queue one message; False when ``to`` is not one plain address (nothing queued)."""
    if not to or single_address(to) is None:
        return False
    text = render_template(f"contribute/mail/{template}.txt", **context)
    try:
        row = mail.queue_mail(session, mail_settings(), to, str(subject), text)
    except ValueError:
        # Never raised for an address single_address accepts; logged, and what the
        # message announces is kept all the same.
        log.warning("mail %s not queued: the address is not one plain address", template)
        return False
    g.setdefault("kb_mail_ids", []).append(row.id)
    return True


def unverified_rate() -> Rate:
    return Rate.parse(current_app.config.get("MAIL_UNVERIFIED_RATE") or DEFAULT_UNVERIFIED_RATE)


def _to_contributor(session: Session, contribution: Contribution, subject_plain: str,
                    subject_quoting: str, template: str, **context) -> bool:
    """A message to the contributor: their words only once their address is verified.

    ``subject_plain`` is kb's own words; ``subject_quoting`` may quote the title.
    False when nothing was queued (no address, or the unverified address had its
    messages for the day).
    """
    to = contribution.contributor_email
    if not to:
        return False
    if contribution.email_verified or submissions.address_verified(session, to):
        title = mail.one_line(context.get("title") or "", 300)
        name = mail.one_line(contribution.contributor_name or "", 200)
        context.update(title=title, name=name, target=mail.one_line(context.get("target") or ""))
        return _queue(session, to, subject_quoting, template, **context)
    rate = unverified_rate()
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=rate.window)
    if submissions.mails_to(session, to, since) >= rate.limit:
        log.info("mail %s not queued: its unverified address had %d today", template, rate.limit)
        return False
    context.update(title=None, name=None, target=None)
    return _queue(session, to, subject_plain, template, **context)


def _title(contribution: Contribution) -> str:
    return mail.one_line(submissions.contribution_record(contribution).title, 300)


def _mailed_follow_url(contribution: Contribution, token: str) -> str:
    return follow_url(token, submissions.verification_code(current_app.config["SECRET_KEY"],
                                                           contribution))


def _contributor_language(contribution: Contribution):
    """Messages to a contributor are in the language of the site they used."""
    locale = contribution.locale if contribution.locale in ("fr", "en") else "fr"
    return force_locale(locale)


def notify_submission(session: Session, contribution: Contribution, token: str) -> bool:
    """The contributor's private link, and a message to each moderator who asked for one.

    True when the contributor's message was queued.
    """
    title = _title(contribution)
    contribution.locale = str(get_locale())
    queued = _to_contributor(
        session, contribution, _("Votre proposition a bien été reçue"),
        _("Votre proposition « %(title)s » a bien été reçue", title=title), "received",
        title=title, link=_mailed_follow_url(contribution, token),
        correction=contribution.kind == "correction")
    _notify_moderators(session, contribution, title)
    return queued


def _notify_moderators(session: Session, contribution: Contribution, title: str) -> None:
    """Each moderator's message is in the language of the site they last signed in to."""
    for moderator in storage.moderators_notified_each_time(session):
        with force_locale(moderator.locale if moderator.locale in LOCALES else "fr"):
            review = site_link("moderation.item", contribution_id=contribution.id, **_language())
            _queue(session, moderator.email, _("À relire : « %(title)s »", title=title),
                   "to_review", title=title, link=review,
                   correction=contribution.kind == "correction", note=contribution.note)


def notify_draft(session: Session, contribution: Contribution, token: str, days: int) -> bool:
    """The private link of a new draft; True when queued. ``days``: how long it is kept."""
    contribution.locale = str(get_locale())
    return _to_contributor(session, contribution, _("Votre brouillon sur kb"),
                           _("Votre brouillon sur kb"), "draft",
                           link=_mailed_follow_url(contribution, token), days=days)


def notify_published(session: Session, contribution: Contribution, slug: str) -> None:
    with _contributor_language(contribution):
        title = _title(contribution)
        _to_contributor(session, contribution, _("Votre proposition est publiée"),
                        _("« %(title)s » est publiée", title=title), "published", title=title,
                        link=site_link("practices.show", slug=slug, **_language()),
                        correction=contribution.kind == "correction")


def notify_rejected(session: Session, contribution: Contribution) -> None:
    with _contributor_language(contribution):
        title = _title(contribution)
        _to_contributor(session, contribution, _("Votre proposition n’a pas été retenue"),
                        _("Votre proposition « %(title)s » n’a pas été retenue", title=title),
                        "rejected", title=title, reason=contribution.reason)


def notify_merged(session: Session, contribution: Contribution, target_title: str,
                  slug: str) -> None:
    with _contributor_language(contribution):
        title = _title(contribution)
        _to_contributor(session, contribution, _("Votre proposition rejoint une pratique existante"),
                        _("Votre proposition « %(title)s » rejoint une pratique existante",
                          title=title),
                        "merged", title=title, target=target_title,
                        link=site_link("practices.show", slug=slug, **_language()))


def deliver_pending() -> None:
    """Send what this request queued (after its commit); failures stay queued and logged."""
    ids = g.pop("kb_mail_ids", None)
    if not ids:
        return
    with runtime().session() as session:
        mail.deliver(session, mail_settings(), ids)
