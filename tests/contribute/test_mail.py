"""E-mail notifications, read from a real SMTP server the tests start (aiosmtpd)."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from .smtp import body, links
from .support import (
    EMAIL,
    PASSWORD,
    csrf_token,
    login,
    mod_post,
    pending_id,
    submit,
    valid_form,
)

BASE = "http://kb.example"
MODERATOR = "coordination@reseau.example"


@pytest.fixture
def mail_app(bundled_runtime, smtp_server, outbox):
    from kb import create_app

    url, _inbox = smtp_server
    return create_app({"TESTING": True, "SECRET_KEY": "t", "SMTP_URL": url, "BASE_URL": BASE,
                       "MAIL_FROM": "kb <kb@reseau.example>", "MAIL_OUTBOX": str(outbox)},
                      runtime=bundled_runtime)


@pytest.fixture
def mail_client(mail_app):
    return mail_app.test_client()


@pytest.fixture
def mail_mod(mail_app, moderator):
    browser = mail_app.test_client()
    assert login(browser, moderator[1], moderator[2]).status_code == 303
    return browser


def _path(link: str) -> str:
    assert link.startswith(BASE + "/"), link
    return link.removeprefix(BASE)


def test_sending_mails_the_private_link_built_on_kb_base_url_not_the_host_header(
        mail_client, smtp_server, moderator, outbox):
    _url, inbox = smtp_server
    evil = {"Host": "evil.example"}
    page = mail_client.get("/contribuer", headers=evil).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = mail_client.post("/contribuer", headers=evil, follow_redirects=True,
                                data=valid_form(csrf_token=token, similar_ack=""))
    answer = response.get_data(as_text=True)
    if "/contribuer/suivi/" not in answer:  # confirm past the duplicate hints
        ack = re.search(r'name="similar_ack" value="([^"]*)"', answer).group(1)
        answer = mail_client.post("/contribuer", headers=evil, follow_redirects=True, data=valid_form(
            csrf_token=token, similar_ack=ack)).get_data(as_text=True)
    assert "evil.example" not in answer
    link = re.search(r'href="http://kb\.example(/contribuer/suivi/[^"]+)"', answer).group(1)
    received = inbox.wait_for(EMAIL)
    assert len(received) == 1
    message = received[0]
    assert message["From"] == "kb <kb@reseau.example>"
    # An address not yet proved: kb's words only, never the visitor's title.
    assert message["Subject"] == "Votre proposition a bien été reçue"
    followed = [u for u in links(message) if "/contribuer/suivi/" in u]
    assert len(followed) == 1 and followed[0].startswith(BASE + link + "?v=")
    page = mail_client.get(_path(followed[0]))
    assert page.status_code == 200 and "en attente de relecture" in page.get_data(as_text=True)
    # The moderator chose "each" (the default): one message with the review link.
    to_review = inbox.wait_for(MODERATOR)
    assert [u for u in links(to_review[0]) if "/moderation/" in u]
    assert not outbox.exists()  # with SMTP configured, nothing goes to the folder


def test_publishing_refusing_and_merging_each_mail_the_contributor(
        mail_client, mail_mod, smtp_server, bundled_runtime):
    _url, inbox = smtp_server
    submit(mail_client)
    # The contributor opens the link of the mail: their address is proved, so later
    # messages may quote their own title (and the day's cap of an unproved one is gone).
    mailed = [u for u in links(inbox.wait_for(EMAIL)[0]) if "?v=" in u][0]
    assert mail_client.get(mailed.removeprefix(BASE)).status_code == 200
    first = pending_id(bundled_runtime)
    mod_post(mail_mod, f"/moderation/{first}/publier", confirm="1")
    published = inbox.wait_for(EMAIL, 2)[-1]
    assert "est publiée" in published["Subject"]
    assert BASE + "/pratiques/jardins-partages-des-hortensias" in links(published)

    submit(mail_client, title="Jardins partagés du Clos")
    second = pending_id(bundled_runtime)
    mod_post(mail_mod, f"/moderation/{second}/refuser", reason="Aucune source vérifiable.",
             confirm="1")
    refused = inbox.wait_for(EMAIL, 4)[-1]
    assert "n’a pas été retenue" in refused["Subject"]
    assert "Aucune source vérifiable." in body(refused)

    submit(mail_client, title="Collectif de voisins solidaires")
    third = pending_id(bundled_runtime)
    mod_post(mail_mod, f"/moderation/{third}/fusionner", target="collectif-solution-uni-voisins")
    merged = inbox.wait_for(EMAIL, 6)[-1]
    assert "rejoint une pratique existante" in merged["Subject"]
    assert "Collectif Solution Uni’Voisins" in body(merged)


def test_a_mail_server_down_never_loses_a_submission_and_the_failure_is_retried(
        bundled_runtime, smtp_server, moderator, outbox, runner_for):
    from kb import create_app
    from kb.models import Contribution, OutgoingMail

    from .smtp import free_port

    _url, inbox = smtp_server
    down = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SMTP_URL": down, "BASE_URL": BASE,
                      "MAIL_OUTBOX": str(outbox)}, runtime=bundled_runtime)
    client = app.test_client()
    link = submit(client)
    assert client.get(link).status_code == 200  # stored, and its page works
    with bundled_runtime.session(write=False) as session:
        assert session.scalar(select(Contribution).where(Contribution.id == pending_id(
            bundled_runtime))).status == "pending"
        waiting = list(session.scalars(select(OutgoingMail).where(OutgoingMail.sent_at.is_(None))))
    assert {m.recipient for m in waiting} == {EMAIL, MODERATOR}
    assert all(m.attempts == 1 and "Connection" in (m.last_error or "") for m in waiting)
    # Moderators see it in the queue.
    moderator_browser = app.test_client()
    login(moderator_browser, moderator[1], PASSWORD)
    queue = html.unescape(moderator_browser.get("/moderation").get_data(as_text=True))
    assert "2 messages n’ont pas pu être envoyés" in queue
    # Retried once the server is back (here: pointed at the running one).
    url, _inbox = smtp_server
    result = runner_for({"KB_SMTP_URL": url, "KB_BASE_URL": BASE})("mail", "send")
    assert "2 message(s) envoyé(s), 0 en échec" in result.output
    assert any(u.startswith(BASE + link + "?v=") for u in links(inbox.wait_for(EMAIL)[0]))


def test_without_smtp_settings_messages_are_written_to_the_outbox_folder(client, outbox,
                                                                       moderator):
    link = submit(client)
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2  # the contributor's link, and the moderator's notice
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    assert link in text.replace("=\n", "")


def test_a_moderator_can_choose_a_daily_digest_instead(mail_client, mail_mod, smtp_server,
                                                      runner_for):
    _url, inbox = smtp_server
    page = mail_mod.get("/moderation").get_data(as_text=True)
    assert 'name="notify"' in page
    response = mail_mod.post("/moderation/notifications", data={
        "csrf_token": csrf_token(mail_mod, "/moderation"), "notify": "digest"})
    assert response.status_code == 303
    submit(mail_client)
    inbox.wait_for(EMAIL)
    assert inbox.to(MODERATOR) == []  # no message per submission
    url, _ = smtp_server
    result = runner_for({"KB_SMTP_URL": url, "KB_BASE_URL": BASE})("mail", "digest")
    assert "1 résumé(s) préparé(s)" in result.output, result.output
    digest = inbox.wait_for(MODERATOR)[0]
    assert "Jardins partagés des Hortensias" in body(digest)
    assert any(u.startswith(BASE + "/moderation/") for u in links(digest))


def test_a_contributor_on_the_english_site_gets_english_mails_even_from_french_moderators(
        mail_client, mail_mod, smtp_server, bundled_runtime):
    _url, inbox = smtp_server
    mail_client.get("/?lang=en")
    submit(mail_client)
    received = inbox.wait_for(EMAIL)[0]
    assert received["Subject"] == "Your proposal has been received"  # an unproved address
    assert "Your private link" in body(received)
    mailed = [u for u in links(received) if "v=" in u][0]
    assert mail_client.get(mailed.removeprefix(BASE)).status_code == 200
    moderator_mail = inbox.wait_for(MODERATOR)[0]
    assert "Nouvelle pratique proposée" in body(moderator_mail)
    mod_post(mail_mod, f"/moderation/{pending_id(bundled_runtime)}/publier")  # French site
    published = inbox.wait_for(EMAIL, 2)[-1]
    assert published["Subject"] == "“Jardins partagés des Hortensias” is published"
    # The links of English messages open the English site; the moderator's stay French.
    assert any(u.startswith(BASE + "/contribuer/suivi/") and u.endswith("&lang=en")
               for u in links(received)), links(received)
    assert any(u.endswith("?lang=en") and "/pratiques/" in u for u in links(published))
    assert not any("lang=" in u for u in links(moderator_mail))


def test_a_moderator_signed_in_on_the_english_site_gets_english_mails_and_digest(
        mail_app, mail_client, moderator, smtp_server, runner_for, bundled_runtime):
    from kb.services.contributions.moderators import add_moderator

    url, inbox = smtp_server
    french = "veille@reseau.example"
    with bundled_runtime.session() as session:
        add_moderator(session, french, PASSWORD)
    english_browser = mail_app.test_client()
    english_browser.get("/?lang=en")
    assert login(english_browser, moderator[1], moderator[2]).status_code == 303
    assert login(mail_app.test_client(), french, PASSWORD).status_code == 303
    submit(mail_client)
    english = inbox.wait_for(MODERATOR)[0]
    assert english["Subject"] == "To review: “Jardins partagés des Hortensias”", english["Subject"]
    assert "New practice proposed" in body(english)
    assert any(u.startswith(BASE + "/moderation/") and u.endswith("?lang=en")
               for u in links(english)), links(english)
    assert "Nouvelle pratique proposée" in body(inbox.wait_for(french)[0])
    # The daily digest too, once chosen (on the English site: the choice keeps its language).
    english_browser.post("/moderation/notifications", data={
        "csrf_token": csrf_token(english_browser, "/moderation"), "notify": "digest"})
    result = runner_for({"KB_SMTP_URL": url, "KB_BASE_URL": BASE})("mail", "digest")
    assert "1 résumé(s) préparé(s)" in result.output, result.output
    digest = inbox.wait_for(MODERATOR, 2)[-1]
    assert digest["Subject"] == "kb: 1 proposal to review", digest["Subject"]
    text = body(digest)
    assert "1 proposal awaits review:" in text and "(new practice)" in text, text
    assert "Jardins partagés des Hortensias" in text
    assert any(u.endswith("?lang=en") and "/moderation/" in u for u in links(digest))
