"""Point 12 (the session cookie): it was readable (signed, not encrypted) and held the
moderator's e-mail and database id.

It now holds a random session key, the session version and the sign-in time: nothing
that names the account. Signing out or changing the password still ends the session.
"""

from __future__ import annotations

import base64
import json
import zlib

from sqlalchemy import select, text

from tests.contribute.support import csrf_token, login


def _payload(cookie: str) -> dict:
    """What anyone holding the cookie reads in it, without the secret key."""
    data = cookie.split(".")[0 if not cookie.startswith(".") else 1]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return json.loads(zlib.decompress(raw) if cookie.startswith(".") else raw)


def test_the_cookie_names_the_account_by_a_random_key_only(app, mod_client, moderator,
                                                           bundled_runtime):
    from kb.models import Moderator

    cookie = mod_client.get_cookie("session").value
    payload = _payload(cookie)
    assert set(payload) <= {"moderator", "moderator_version", "moderator_since", "csrf_token",
                            "_permanent", "_flashes"}
    assert moderator[1] not in json.dumps(payload) and moderator[1].split("@")[0] not in cookie
    with bundled_runtime.session(write=False) as session:
        account = session.get(Moderator, moderator[0])
        assert payload["moderator"] == account.session_key and len(account.session_key) >= 32
        assert payload["moderator_version"] == account.session_version


def test_a_cookie_with_an_id_or_a_wrong_key_opens_nothing(app, moderator):
    import time

    for forged in ({"moderator_id": moderator[0], "moderator_email": moderator[1]},
                   {"moderator": "devine", "moderator_version": 1},
                   {"moderator": None, "moderator_version": 1}):
        client = app.test_client()
        with client.session_transaction() as session:
            session.update(forged, moderator_since=time.time())
        assert client.get("/moderation").status_code == 302


def test_signing_out_and_a_new_password_end_the_session(app, mod_client, moderator,
                                                        bundled_runtime):
    from kb.services.contributions.moderators import change_password

    stolen = mod_client.get_cookie("session").value
    token = csrf_token(mod_client, "/moderation")
    assert mod_client.post("/moderation/deconnexion", data={"csrf_token": token}).status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/moderation").status_code == 302
    browser = app.test_client()
    assert login(browser, moderator[1], moderator[2]).status_code == 303
    with bundled_runtime.session() as session:
        change_password(session, moderator[1], "girafe-escalier-lanterne")
    assert browser.get("/moderation").status_code == 302


def test_migration_0009_gives_existing_accounts_a_key_each(database_url):
    from alembic import command
    from sqlalchemy import inspect

    from kb.db import alembic_config, make_engine
    from kb.models import Moderator

    engine = make_engine(database_url("keys"))
    config = alembic_config(engine)
    command.upgrade(config, "0008")
    with engine.begin() as connection:
        for n in range(3):
            connection.execute(text(
                "INSERT INTO moderators (email, password_hash, active, created_at, session_version,"
                " notify, locale) VALUES (:email, 'x', :active, CURRENT_TIMESTAMP, 1, 'each', 'fr')"),
                {"email": f"m{n}@exemple.fr", "active": True})
    command.upgrade(config, "0009")
    with engine.connect() as connection:
        keys = list(connection.execute(select(Moderator.session_key)).scalars())
    assert len(keys) == 3 and len(set(keys)) == 3 and all(len(key) >= 32 for key in keys)
    command.downgrade(config, "0008")
    assert "session_key" not in {c["name"] for c in inspect(engine).get_columns("moderators")}
    command.upgrade(config, "head")
    engine.dispose()
