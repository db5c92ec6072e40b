"""Issue 22, points 1, 2, 10, 12 (private links, drafts), 13 and 14: mail and forms.

Mails are read from a real SMTP server (aiosmtpd); the database is the test's
(SQLite, or the PostgreSQL of KB_DATABASE_URL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time

import pytest
from sqlalchemy import event, func, select, update

from kb import create_app
from kb.models import Contribution, OutgoingMail, Practice
from kb.services import mail
from kb.services.contributions.ratelimit import network_key
from tests.contribute.smtp import body, links
from tests.contribute.support import EMAIL, NAME, csrf_token, private_link, valid_form

BASE = "http://kb.example"
VICTIM = "victime@exemple.fr"
PHISHING = "Votre compte est suspendu.\nRéactivez-le ici : http://phish.example/login"
LINE_BREAKS = {"LF": "\n", "CR": "\r", "CRLF": "\r\n", "NEL": "\x85", "LS": "\u2028",
               "PS": "\u2029", "VT": "\x0b", "FF": "\x0c"}


def _app(runtime, smtp_url: str | None = None, **config):
    settings = {"TESTING": True, "SECRET_KEY": "secret-of-the-test", "BASE_URL": BASE,
                "CONTRIBUTION_RATE": "1000/hour", "PREVIEW_RATE": "1000/hour", **config}
    if smtp_url:
        settings["SMTP_URL"] = smtp_url
    return create_app(settings, runtime=runtime)


def _post(client, url: str = "/contribuer", *, address: str = "127.0.0.1", **overrides):
    data = valid_form(**overrides)
    data.setdefault("csrf_token", csrf_token(client, url))
    return client.post(url, data=data, environ_base={"REMOTE_ADDR": address})


def _send(client, url: str = "/contribuer", **overrides):
    """A submission confirmed past the duplicate hints: the POST's answer (not followed)."""
    response = _post(client, url, **overrides)
    ack = re.search(r'name="similar_ack" value="([^"]*)"', response.get_data(as_text=True))
    if response.status_code == 200 and ack:
        response = _post(client, url, similar_ack=ack.group(1), **overrides)
    return response


def _count(runtime, model, *where) -> int:
    with runtime.session(write=False) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def _settle(inbox, seconds: float = 0.3) -> None:
    """Mail goes out before the answer; a short wait lets the server file it."""
    time.sleep(seconds)


# -- point 1: no mail carries a stranger's words ------------------------------------


def test_a_phishing_name_on_a_draft_is_refused_and_nothing_is_mailed(bundled_runtime,
                                                                     smtp_server):
    url, inbox = smtp_server
    client = _app(bundled_runtime, url).test_client()
    response = _post(client, action="save", email=VICTIM, name=PHISHING)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Votre nom doit tenir sur une ligne" in page
    assert "Votre compte est suspendu." in page  # the form comes back as typed
    one_line = _post(client, action="save", email=VICTIM,
                     name="Réactivez votre compte sur phish.example/login")
    assert one_line.status_code == 422
    assert "ne peut pas contenir d’adresse de site web" in one_line.get_data(as_text=True)
    _settle(inbox)
    assert inbox.to(VICTIM) == []
    assert _count(bundled_runtime, Contribution) == 0


def test_a_mail_to_an_unproved_address_holds_only_kbs_words_and_the_link(bundled_runtime,
                                                                         smtp_server):
    url, inbox = smtp_server
    client = _app(bundled_runtime, url).test_client()
    assert _send(client).status_code == 303
    received = inbox.wait_for(EMAIL)[0]
    text = body(received)
    assert received["Subject"] == "Votre proposition a bien été reçue"
    for typed in (NAME, "Claire", "Jardins partagés", "Hortensias", "Montreuil"):
        assert typed not in text and typed not in received["Subject"]
    assert [u.split("?")[0] for u in links(received)] == [u.split("?")[0] for u in links(received)
                                                          if u.startswith(BASE + "/contribuer/suivi/")]
    mailed = links(received)[0]
    assert "?v=" in mailed

    # The link shown on the page proves nothing (whoever typed the address saw it).
    shown = private_link(client.get("/contribuer/merci"))
    assert "v=" not in shown
    assert client.get(shown).status_code == 200
    assert _count(bundled_runtime, Contribution, Contribution.email_verified.is_(True)) == 0
    # Opening the mailed copy does: later mails may quote the contributor's own words.
    assert client.get(mailed.removeprefix(BASE)).status_code == 200
    assert _count(bundled_runtime, Contribution, Contribution.email_verified.is_(True)) == 1
    assert _send(client, title="Potagers des Hortensias",
                 summary="Des potagers au pied des immeubles.").status_code == 303
    second = inbox.wait_for(EMAIL, 2)[-1]
    assert "Potagers des Hortensias" in second["Subject"]
    assert f"Bonjour {NAME}," in body(second)


def test_the_draft_mail_to_an_unproved_address_has_no_name_and_says_how_long_it_is_kept(
        bundled_runtime, smtp_server):
    url, inbox = smtp_server
    client = _app(bundled_runtime, url).test_client()
    saved = _post(client, action="save", email=VICTIM, name="Jean Dupont",
                  title="Titre du brouillon")
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/contribuer/merci")
    message = inbox.wait_for(VICTIM)[0]
    text = body(message)
    assert "Jean Dupont" not in text and "Titre du brouillon" not in text
    assert text.startswith("Bonjour,")
    assert "pendant 90 jours est effacé" in text
    assert message["Subject"] == "Votre brouillon sur kb"


def test_an_unproved_address_gets_three_mails_a_day_then_none(bundled_runtime, smtp_server):
    url, inbox = smtp_server
    client = _app(bundled_runtime, url).test_client()
    pages = []
    for n in range(5):
        answer = _post(client, action="save", email=VICTIM, title=f"Brouillon {n}")
        assert answer.status_code == 303
        pages.append(client.get("/contribuer/merci").get_data(as_text=True))
    _settle(inbox)
    assert len(inbox.to(VICTIM)) == 3
    assert "envoyé par courriel" in pages[2] and "envoyé par courriel" not in pages[3]
    assert _count(bundled_runtime, Contribution) == 5  # every draft kept all the same


def test_the_unproved_address_limit_is_a_setting(bundled_runtime, smtp_server):
    url, inbox = smtp_server
    client = _app(bundled_runtime, url, MAIL_UNVERIFIED_RATE="1/day").test_client()
    for n in range(2):
        assert _post(client, action="save", email=VICTIM, title=f"B{n}").status_code == 303
    _settle(inbox)
    assert len(inbox.to(VICTIM)) == 1


@pytest.mark.parametrize(("address", "key"), [
    ("2001:db8:1:2::1", "2001:db8:1:2::/64"), ("2001:db8:1:2:ffff:1:2:3", "2001:db8:1:2::/64"),
    ("2001:db8:1:3::1", "2001:db8:1:3::/64"), ("192.0.2.7", "192.0.2.7"),
    ("::ffff:192.0.2.7", "192.0.2.7"), ("fe80::1%eth0", "fe80::/64"), ("", "unknown"),
])
def test_a_client_is_counted_by_its_ipv6_64_or_its_ipv4_address(address, key):
    assert network_key(address) == key


def test_six_addresses_of_one_ipv6_64_share_one_limit(bundled_runtime, smtp_server):
    url, inbox = smtp_server
    client = _app(bundled_runtime, url, CONTRIBUTION_RATE="2/hour").test_client()
    answers = [_post(client, action="save", email=f"v{n}@exemple.fr", title=f"B{n}",
                     address=f"2001:db8:5:6::{n + 1}").status_code for n in range(6)]
    assert answers == [303, 303, 429, 429, 429, 429]
    assert _post(client, action="save", email="autre@exemple.fr",
                 address="2001:db8:5:7::1").status_code == 303  # another /64
    assert _post(client, action="save", email="ipv4@exemple.fr",
                 address="192.0.2.1").status_code == 303
    _settle(inbox)
    assert len(inbox.messages) == 4


# -- point 2: single-line fields are single lines ------------------------------------


@pytest.mark.parametrize("kind", LINE_BREAKS)
def test_every_line_break_in_a_title_is_refused_in_french(bundled_runtime, kind):
    client = _app(bundled_runtime).test_client()
    response = _post(client, title=f"Jardins partagés{LINE_BREAKS[kind]}des Hortensias")
    assert response.status_code == 422, response.status_code
    page = response.get_data(as_text=True)
    assert "doit tenir sur une ligne" in page or "caractère invisible interdit" in page
    assert _count(bundled_runtime, Contribution) == 0


@pytest.mark.parametrize("field", ["landlord", "partner_name", "source_title", "contact"])
def test_a_line_separator_in_any_one_line_field_is_refused(bundled_runtime, field):
    client = _app(bundled_runtime).test_client()
    value = "Office Hortensias\u2028Habitat"
    overrides = {field: value if field == "contact" else [value, ""]}
    if field == "source_title":
        overrides[field] = [value, "", ""]
    response = _post(client, **overrides)
    assert response.status_code == 422
    assert "doit tenir sur une ligne" in response.get_data(as_text=True)


def test_kb_validate_refuses_a_line_break_in_a_title_at_its_file_and_line(tmp_path, runner):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "pratique.md").write_text(
        '---\ntitle: "Médiation\\u2028de nuit"\nsummary: Un résumé.\nthemes: [Médiation]\n'
        "landlords: [Office Test]\ncities: [Rouen]\n---\n\n## Contexte\n\nTexte.\n",
        encoding="utf-8")
    result = runner("validate", str(folder))
    assert result.exit_code != 0
    assert "pratique.md:2:" in result.output
    assert "« title » doit tenir sur une ligne : il contient un U+2028" in result.output


def test_a_stored_title_with_a_line_separator_never_makes_a_correction_fail(
        bundled_runtime, smtp_server):
    url, inbox = smtp_server
    slug = "collectif-solution-uni-voisins"
    with bundled_runtime.session() as session:  # as imported before the check existed
        session.execute(update(Practice).where(Practice.slug == slug)
                        .values(title="Collectif\u2028Solution\u2029Uni’Voisins"))
    client = _app(bundled_runtime, url).test_client()
    form = client.get(f"/pratiques/{slug}/corriger")
    assert form.status_code == 200
    # Offered as one line: the correction goes through, and its mails are sent.
    assert 'value="Collectif Solution Uni’Voisins"' in form.get_data(as_text=True)
    answer = _send(client, f"/pratiques/{slug}/corriger", change_note="Titre sur une ligne.",
                   title="Collectif Solution Uni’Voisins")
    assert answer.status_code == 303, answer.status_code
    assert inbox.wait_for(EMAIL)[0]["Subject"] == "Votre proposition a bien été reçue"
    # A line break typed again is refused with a message, not a 500.
    typed = _post(client, f"/pratiques/{slug}/corriger", change_note="Titre.",
                  title="Collectif\u2028Solution Uni’Voisins")
    assert typed.status_code == 422
    assert "doit tenir sur une ligne" in typed.get_data(as_text=True)


@pytest.mark.parametrize("subject", [f"Titre{b}suite" for b in LINE_BREAKS.values()])
def test_no_stored_value_can_make_a_mail_subject_raise(subject, tmp_path):
    settings = mail.MailSettings(None, "kb <kb@exemple.fr>", BASE, tmp_path)
    message = mail.compose(settings, EMAIL, subject, "texte")
    assert message["Subject"] == "Titre suite"
    assert "\n" not in message.as_string().split("\n\n")[0].split("Subject: ")[1].split("\n")[0]


# -- point 13: one address per e-mail field ------------------------------------------


@pytest.mark.parametrize("address", [
    "x,evil@127.0.0.1", "=?utf-8?q?evil?=@exemple.fr", "a@exemple.fr b@exemple.fr",
    "a@exemple.fr;b@exemple.fr", "claire@", "claire@exemple", "Claire <claire@exemple.fr>",
    "claire@exemple.fr\nBcc: x@evil.example",
])
def test_an_e_mail_field_takes_exactly_one_plain_address(bundled_runtime, address):
    client = _app(bundled_runtime).test_client()
    for action in ("submit", "save"):
        response = _post(client, email=address, action=action)
        assert response.status_code == 422, (address, action)
        page = response.get_data(as_text=True)
        assert "une seule adresse" in page or "semble incomplète" in page \
            or "caractère invisible" in page
    assert _count(bundled_runtime, Contribution) == 0


def test_the_to_header_is_one_address_built_by_the_email_package(bundled_runtime, smtp_server,
                                                                 tmp_path):
    settings = mail.MailSettings(None, "kb <kb@exemple.fr>", BASE, tmp_path)
    with pytest.raises(ValueError):
        mail.compose(settings, "x,evil@127.0.0.1", "s", "t")
    with pytest.raises(ValueError):
        mail.compose(settings, "=?utf-8?q?x?=@exemple.fr", "s", "t")
    url, inbox = smtp_server
    assert _send(_app(bundled_runtime, url).test_client()).status_code == 303
    received = inbox.wait_for(EMAIL)[0]
    assert [a.addr_spec for a in received["To"].addresses] == [EMAIL]
    assert received["X-Envelope-To"] == EMAIL


# -- point 14: Post/Redirect/Get, one submission once ---------------------------------


def test_a_sent_form_answers_303_to_a_thank_you_page_that_reloads_without_resending(
        bundled_runtime, smtp_server):
    url, inbox = smtp_server
    client = _app(bundled_runtime, url).test_client()
    answer = _send(client)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/contribuer/merci")
    first = client.get("/contribuer/merci")
    again = client.get("/contribuer/merci")
    assert first.status_code == again.status_code == 200
    assert private_link(first) == private_link(again)
    assert "no-store" in first.headers["Cache-Control"]
    _settle(inbox)
    assert _count(bundled_runtime, Contribution) == 1
    assert len(inbox.to(EMAIL)) == 1
    # Another browser, with no form sent, is sent to the form.
    other = _app(bundled_runtime, url).test_client().get("/contribuer/merci")
    assert other.status_code == 303 and other.headers["Location"].endswith("/contribuer")


def test_the_same_submission_twice_within_a_minute_is_one(bundled_runtime, smtp_server):
    url, inbox = smtp_server
    client = _app(bundled_runtime, url).test_client()
    token = csrf_token(client)
    data = valid_form(csrf_token=token, similar_ack="")
    first = client.post("/contribuer", data=data)
    ack = re.search(r'name="similar_ack" value="([^"]*)"', first.get_data(as_text=True))
    if ack:
        data["similar_ack"] = ack.group(1)
    answers = [client.post("/contribuer", data=data) for _ in range(2)]
    assert [a.status_code for a in answers] == [303, 303]
    # The same again from another browser session (a replay): recognised too.
    stranger = _app(bundled_runtime, url).test_client()
    replay = dict(data, csrf_token=csrf_token(stranger))
    assert stranger.post("/contribuer", data=replay).status_code == 303
    assert "déjà été reçue" in stranger.get("/contribuer/merci").get_data(as_text=True)
    _settle(inbox)
    assert _count(bundled_runtime, Contribution) == 1
    assert len(inbox.to(EMAIL)) == 1


# -- point 12: private links are not cached, drafts are not kept forever --------------


def test_every_page_showing_a_private_link_is_no_store(bundled_runtime):
    client = _app(bundled_runtime).test_client()
    assert _post(client, action="save", title="Brouillon").status_code == 303
    saved = client.get("/contribuer/merci")
    link = private_link(saved)
    assert "Brouillon enregistré" in saved.get_data(as_text=True)
    for response in (saved, client.get(link)):
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"]
    # The draft's form given back after an expired token posts to the private link too.
    expired = client.post(link, data=valid_form(action="save", title="Brouillon"))
    assert expired.status_code == 400 and 'value="Brouillon"' in expired.get_data(as_text=True)
    assert "no-store" in expired.headers["Cache-Control"]


def test_drafts_untouched_for_draft_days_are_erased_with_their_personal_data(
        bundled_runtime, runner_for):
    client = _app(bundled_runtime).test_client()
    assert _post(client, action="save", email=VICTIM, name="Jean Dupont").status_code == 303
    link = private_link(client.get("/contribuer/merci"))
    assert _post(client, action="save", email="recent@exemple.fr").status_code == 303
    assert _count(bundled_runtime, OutgoingMail, OutgoingMail.recipient == VICTIM) == 1
    old = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=91)
    with bundled_runtime.session() as session:
        session.execute(update(Contribution).where(Contribution.contributor_email == VICTIM)
                        .values(updated_at=old))
    result = runner_for({})("drafts", "purge")
    assert result.exit_code == 0, result.output
    assert "1 brouillon(s) effacé(s)" in result.output and "90 jours" in result.output
    assert _count(bundled_runtime, Contribution, Contribution.contributor_email == VICTIM) == 0
    assert _count(bundled_runtime, OutgoingMail, OutgoingMail.recipient == VICTIM) == 0
    assert _count(bundled_runtime, Contribution) == 1  # the recent one stays
    assert client.get(link).status_code == 404
    about = client.get("/a-propos").get_data(as_text=True)
    assert "sans modification pendant 90\u00a0jours est effacé" in about


# -- point 10: nothing typed is lost ---------------------------------------------------


@contextlib.contextmanager
def _database_refusing_writes(runtime):
    """The database refuses every write for real: full (SQLite), or locked (PostgreSQL)."""
    engine = runtime.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

        def cap(dbapi_connection, _record):  # noqa: ANN001
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        event.listen(engine, "connect", cap)
        engine.dispose()
        try:
            yield
        finally:
            event.remove(engine, "connect", cap)
            engine.dispose()
        return

    def short_wait(dbapi_connection, _record):  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        cursor.execute("SET lock_timeout = 300")
        dbapi_connection.commit()

    event.listen(engine, "connect", short_wait)
    engine.dispose()
    locker = engine.connect()
    transaction = locker.begin()
    locker.exec_driver_sql("LOCK TABLE contributions IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        transaction.rollback()
        locker.close()
        event.remove(engine, "connect", short_wait)
        engine.dispose()


def test_a_database_that_cannot_store_gives_the_form_back_filled(bundled_runtime):
    client = _app(bundled_runtime).test_client()
    token = csrf_token(client)
    long_body = "## Contexte\n\n" + "Un texte assez long pour ne pas tenir dans une page. " * 1500
    data = valid_form(csrf_token=token, title="Une pratique saisie avec soin", body=long_body,
                      similar_ack="")
    with _database_refusing_writes(bundled_runtime):
        for action in ("save", "submit"):
            answer = client.post("/contribuer", data=dict(data, action=action))
            ack = re.search(r'name="similar_ack" value="([^"]*)"', answer.get_data(as_text=True))
            if answer.status_code == 200 and ack:
                data["similar_ack"] = ack.group(1)
                answer = client.post("/contribuer", data=dict(data, action=action))
            assert answer.status_code == 503, (action, answer.status_code)
            page = answer.get_data(as_text=True)
            assert "Rien n’est perdu" in page
            assert 'value="Une pratique saisie avec soin"' in page
            assert "Un texte assez long pour ne pas tenir dans une page." in page
            assert f'value="{EMAIL}"' in page and answer.headers["Retry-After"]
            assert "no-store" in answer.headers["Cache-Control"]
    assert _count(bundled_runtime, Contribution) == 0
    # Sent again from the page given back, once the database stores again: kept.
    again = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/contribuer", data=dict(data, csrf_token=again,
                                                action="submit")).status_code == 303
    assert _count(bundled_runtime, Contribution) == 1
