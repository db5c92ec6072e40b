"""The e-mails of contributing and moderating: written here, queued, then delivered.

Each message is rendered in the language of the page that triggers it
(templates ``contribute/mail/*.txt``), queued in the caller's write session
(``kb.services.mail.queue_mail``) and delivered after the commit by
``deliver_pending``: a mail server down never undoes a submission or a decision.
"""

from __future__ import annotations

from flask import current_app, g, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from kb import storage
from kb.models import Contribution
from kb.services import mail
from kb.services.contributions.drafts import EMAIL_RE
from kb.web import runtime
from kb.web.i18n import LOCALES


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


def follow_url(token: str) -> str:
    return site_link("contribute.follow", token=token, **_language())


def _queue(session: Session, to: str | None, subject: str, template: str, **context) -> None:
    if not to or not EMAIL_RE.match(to):
        return
    text = render_template(f"contribute/mail/{template}.txt", **context)
    row = mail.queue_mail(session, mail_settings(), to, str(subject), text)
    g.setdefault("kb_mail_ids", []).append(row.id)


def _title(contribution: Contribution) -> str:
    from kb.services.contributions.submissions import contribution_record

    return contribution_record(contribution).title


def _contributor_language(contribution: Contribution):
    """Messages to a contributor are in the language of the site they used."""
    locale = contribution.locale if contribution.locale in ("fr", "en") else "fr"
    return force_locale(locale)


def notify_submission(session: Session, contribution: Contribution, token: str) -> None:
    """The contributor's private link, and a message to each moderator who asked for one."""
    title = _title(contribution)
    contribution.locale = str(get_locale())
    _queue(session, contribution.contributor_email,
           _("Votre proposition « %(title)s » a bien été reçue", title=title), "received",
           title=title, link=follow_url(token), name=contribution.contributor_name,
           correction=contribution.kind == "correction")
    _notify_moderators(session, contribution, title)


def _notify_moderators(session: Session, contribution: Contribution, title: str) -> None:
    """Each moderator's message is in the language of the site they last signed in to."""
    for moderator in storage.moderators_notified_each_time(session):
        with force_locale(moderator.locale if moderator.locale in LOCALES else "fr"):
            review = site_link("moderation.item", contribution_id=contribution.id, **_language())
            _queue(session, moderator.email, _("À relire : « %(title)s »", title=title),
                   "to_review", title=title, link=review,
                   correction=contribution.kind == "correction", note=contribution.note)


def notify_draft(session: Session, contribution: Contribution, token: str) -> None:
    try:
        title = _title(contribution)
    except (TypeError, KeyError):
        title = ""
    _queue(session, contribution.contributor_email, _("Votre brouillon sur kb"), "draft",
           link=follow_url(token), name=contribution.contributor_name, title=title)


def notify_published(session: Session, contribution: Contribution, slug: str) -> None:
    with _contributor_language(contribution):
        title = _title(contribution)
        _queue(session, contribution.contributor_email,
               _("« %(title)s » est publiée", title=title), "published", title=title,
               link=site_link("practices.show", slug=slug, **_language()),
               name=contribution.contributor_name, correction=contribution.kind == "correction")


def notify_rejected(session: Session, contribution: Contribution) -> None:
    with _contributor_language(contribution):
        title = _title(contribution)
        _queue(session, contribution.contributor_email,
               _("Votre proposition « %(title)s » n’a pas été retenue", title=title), "rejected",
               title=title, reason=contribution.reason, name=contribution.contributor_name)


def notify_merged(session: Session, contribution: Contribution, target_title: str,
                  slug: str) -> None:
    with _contributor_language(contribution):
        title = _title(contribution)
        _queue(session, contribution.contributor_email,
               _("Votre proposition « %(title)s » rejoint une pratique existante", title=title),
               "merged", title=title, target=target_title,
               link=site_link("practices.show", slug=slug, **_language()),
               name=contribution.contributor_name)


def deliver_pending() -> None:
    """Send what this request queued (after its commit); failures stay queued and logged."""
    ids = g.pop("kb_mail_ids", None)
    if not ids:
        return
    with runtime().session() as session:
        mail.deliver(session, mail_settings(), ids)
