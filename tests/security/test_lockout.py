"""Point 6: eight wrong passwords for an account, from any address, locked its moderator out
for 15 minutes everywhere (and eight more every 15 minutes kept it locked).

Now failures count per (account, address) and per address: the guesser is stopped, the
right password from an address without failures still signs in, and nothing tells a known
account from an unknown one.
"""

from __future__ import annotations

import re

import pytest

from tests.contribute.support import login

GUESSER, MODERATOR_HOME = "203.0.113.66", "198.51.100.7"


def _app(runtime, **config):
    from kb import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "t", "LOGIN_RATE": "1000/hour", **config},
                      runtime=runtime)


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.parametrize("storage", ["memory", "database"])
def test_failures_from_elsewhere_never_stop_the_right_password(bundled_runtime, moderator,
                                                                storage):
    app = _app(bundled_runtime, RATELIMIT_STORAGE=storage)  # default: 8 per 15 minutes
    guesser = _from(app, GUESSER)
    for _ in range(8):
        assert login(guesser, moderator[1], "mauvais-mot-de-passe").status_code == 401
    assert login(guesser, moderator[1], moderator[2]).status_code == 429  # the guesser is stopped
    for n in range(2):  # more guessers, each stopped in turn
        other = _from(app, f"192.0.2.{n + 10}")
        for _ in range(9):
            login(other, moderator[1], "mauvais-mot-de-passe")
    home = _from(app, MODERATOR_HOME)
    response = login(home, moderator[1], moderator[2])
    assert response.status_code == 303
    assert home.get("/moderation").status_code == 200


def test_guessing_is_bounded_per_address_across_accounts(bundled_runtime, moderator):
    app = _app(bundled_runtime, LOGIN_CLIENT_RATE="5/hour")
    guesser = _from(app, GUESSER)
    codes = [login(guesser, f"compte{n}@exemple.fr", "mauvais-mot-de-passe").status_code
             for n in range(5)]
    assert codes == [401] * 5
    refused = login(guesser, moderator[1], moderator[2])
    assert refused.status_code == 429
    assert "Trop de tentatives de connexion depuis votre adresse" in refused.get_data(as_text=True)
    assert login(_from(app, MODERATOR_HOME), moderator[1], moderator[2]).status_code == 303


def _page(response) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", response.get_data(as_text=True))


def test_a_known_and_an_unknown_account_are_answered_alike(bundled_runtime, moderator,
                                                           monkeypatch):
    from kb.services.contributions import moderators

    checks = []
    real = moderators.check_password_hash
    monkeypatch.setattr(moderators, "check_password_hash",
                        lambda stored, password: checks.append(stored) or real(stored, password))
    app = _app(bundled_runtime, LOGIN_ACCOUNT_RATE="2/15 minutes")
    known, unknown = _from(app, "192.0.2.1"), _from(app, "192.0.2.2")
    answers = []
    for _ in range(3):
        answers.append((login(known, moderator[1], "mauvais-mot-de-passe"),
                        login(unknown, "personne@exemple.fr", "mauvais-mot-de-passe")))
    for mine, theirs in answers:
        assert mine.status_code == theirs.status_code
        assert _page(mine).replace(moderator[1], "X") == _page(theirs).replace(
            "personne@exemple.fr", "X")
    assert [a.status_code for a, _ in answers] == [401, 401, 429]
    # The same scrypt work for both (timing): one hash check per attempt let through.
    assert len(checks) == 4 and all(stored.startswith("scrypt:") for stored in checks)
