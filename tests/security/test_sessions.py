"""Point 8: the old cookie still opened /moderation after logout, for up to 31 days."""

from __future__ import annotations

import time

import pytest

from tests.contribute.support import csrf_token, login


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def _opens_moderation(client) -> bool:
    return client.get("/moderation").status_code == 200


def test_logout_ends_the_session_server_side(app, mod_client):
    stolen = _cookie(mod_client)
    assert _opens_moderation(_with_cookie(app, stolen))
    token = csrf_token(mod_client, "/moderation")
    assert mod_client.post("/moderation/deconnexion", data={"csrf_token": token}).status_code == 303
    assert not _opens_moderation(_with_cookie(app, stolen))


def _cli(env, *args: str, input: str | None = None):
    from click.testing import CliRunner

    from kb.cli import main

    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


def test_a_password_change_ends_every_session(app, mod_client, moderator, env):
    stolen = _cookie(mod_client)
    result = _cli(env, "moderator", "password", moderator[1], "--password-stdin",
                  input="nouveau-mot-de-passe-1\n")
    assert result.exit_code == 0, result.output
    assert "sessions ouvertes sont terminées" in result.output
    assert not _opens_moderation(_with_cookie(app, stolen))
    assert not _opens_moderation(mod_client)
    fresh = app.test_client()
    assert login(fresh, moderator[1], moderator[2]).status_code == 401
    assert login(fresh, moderator[1], "nouveau-mot-de-passe-1").status_code == 303


def test_password_command_refuses_unknown_account_and_short_password(env, moderator):
    assert _cli(env, "moderator", "password", "personne@exemple.fr", "--password-stdin",
                input="un-long-mot-de-passe\n").exit_code == 1
    result = _cli(env, "moderator", "password", moderator[1], "--password-stdin", input="court\n")
    assert result.exit_code == 1 and "trop court" in result.output


def test_removing_the_account_ends_its_sessions(app, mod_client, moderator, runner, env):
    stolen = _cookie(mod_client)
    assert runner("moderator", "remove", moderator[1]).exit_code == 0
    assert _cli(env, "moderator", "add", "autre@exemple.fr", "--password-stdin",
                input="un-long-mot-de-passe\n").exit_code == 0
    assert not _opens_moderation(_with_cookie(app, stolen))  # not even the id's next owner


def test_a_session_lasts_twelve_hours_by_default(app, mod_client, monkeypatch):
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600
    assert _opens_moderation(mod_client)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 12 * 3600 + 1)
    assert not _opens_moderation(mod_client)


def test_session_lifetime_is_configurable(bundled_runtime, monkeypatch):
    from kb import create_app

    monkeypatch.setenv("KB_SESSION_HOURS", "2")
    app = create_app({"TESTING": True, "SECRET_KEY": "t"}, runtime=bundled_runtime)
    assert app.permanent_session_lifetime.total_seconds() == 2 * 3600
    with pytest.raises(ValueError):
        create_app({"TESTING": True, "SECRET_KEY": "t", "SESSION_HOURS": -1}, runtime=bundled_runtime)


def test_login_is_limited_per_account_and_address_with_a_french_message(bundled_runtime,
                                                                       moderator):
    """Failures from one address stop that address only (the lockout itself: test_lockout)."""
    from kb import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "LOGIN_RATE": "1000/hour",
                      "LOGIN_ACCOUNT_RATE": "3/15 minutes"}, runtime=bundled_runtime)
    guesser = app.test_client()
    for _ in range(3):
        assert login(guesser, moderator[1], "mauvais").status_code == 401
    refused = login(guesser, moderator[1], moderator[2])
    assert refused.status_code == 429
    assert "Trop de tentatives de connexion depuis votre adresse" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert login(guesser, "autre@exemple.fr", "mauvais").status_code == 401  # another account
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert login(elsewhere, moderator[1], moderator[2]).status_code == 303
