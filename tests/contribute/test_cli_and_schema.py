"""Moderator commands, the shared rate-limit store, and migration 0002."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kb.cli import main

from .support import csrf_token, login, post_form, submit


@pytest.fixture
def kb(env, runtime):
    """``kb`` with typed input (passwords are prompted)."""
    cli = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return cli.invoke(main, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


def test_moderator_add_asks_the_password_twice_and_hashes_it_with_scrypt(kb, runtime):
    from kb.services.contributions.moderators import find_moderator

    result = kb("moderator", "add", "Coord@Reseau.example", "--name", "Coordination",
                input="un-long-mot-de-passe\nun-long-mot-de-passe\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Mot de passe") == 1 and "Confirmez" in result.output
    assert "un-long-mot-de-passe" not in result.output  # not echoed
    with runtime.session(write=False) as session:
        account = find_moderator(session, "coord@reseau.example")
        assert account.password_hash.startswith("scrypt:")
        assert account.public_name == "Coordination"


def test_moderator_add_refuses_mismatch_short_password_and_duplicates(kb):
    mismatch = kb("moderator", "add", "a@b.fr", input="un-long-mot-de-passe\nun-autre-mot-de-passe\n"
                  "un-long-mot-de-passe\nun-long-mot-de-passe\n")
    assert "ne correspondent pas" in mismatch.output or "match" in mismatch.output
    assert kb("moderator", "add", "c@d.fr", input="court\ncourt\n").exit_code == 1
    again = kb("moderator", "add", "a@b.fr", input="un-long-mot-de-passe\nun-long-mot-de-passe\n")
    assert again.exit_code == 1 and "existe déjà" in again.output


def test_moderator_list_and_remove(kb):
    kb("moderator", "add", "a@b.fr", input="un-long-mot-de-passe\nun-long-mot-de-passe\n")
    assert "a@b.fr" in kb("moderator", "list").output
    assert kb("moderator", "remove", "a@b.fr").exit_code == 0
    assert "Aucun modérateur" in kb("moderator", "list").output
    assert kb("moderator", "remove", "a@b.fr").exit_code == 1


def test_a_removed_moderator_is_logged_out(app, kb, moderator):
    client = app.test_client()
    assert login(client, moderator[1], moderator[2]).status_code == 303
    kb("moderator", "remove", moderator[1])
    assert client.get("/moderation").status_code == 302


def test_the_database_rate_store_is_shared_by_apps(bundled_runtime):
    """Two apps (two gunicorn workers) count contributions together."""
    from kb import create_app

    config = {"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_STORAGE": "database",
              "CONTRIBUTION_RATE": "1/hour"}
    first = create_app(config, runtime=bundled_runtime).test_client()
    second = create_app(config, runtime=bundled_runtime).test_client()
    submit(first)
    assert post_form(second, title="Autre", summary="Autre.").status_code == 429


def test_an_unknown_rate_store_is_a_configuration_error(bundled_runtime):
    from kb import create_app

    with pytest.raises(ValueError):
        create_app({"RATELIMIT_STORAGE": "redis"}, runtime=bundled_runtime)


def test_environment_variables_configure_the_limits(bundled_runtime, monkeypatch):
    from kb import create_app

    monkeypatch.setenv("KB_CONTRIBUTION_RATE", "2/minute")
    monkeypatch.setenv("KB_LOGIN_RATE", "3/hour")
    app = create_app({"TESTING": True}, runtime=bundled_runtime)
    rates = app.extensions["kb_rates"]
    assert (rates["contribution"].limit, rates["login"].window) == (2, 3600)
    assert app.config["MAX_CONTENT_LENGTH"] == 256 * 1024
    assert csrf_token(app.test_client())  # a random secret key was set


def test_migration_0002_matches_the_models_and_downgrades(database_url):
    """On SQLite, and on PostgreSQL when the suite runs there (KB_DATABASE_URL)."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from kb.db import alembic_config, make_engine
    from kb.models import Base

    engine = make_engine(database_url("migration"))
    config = alembic_config(engine)
    command.upgrade(config, "head")
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    command.downgrade(config, "0001")
    assert not inspect(engine).has_table("revisions")
    command.upgrade(config, "head")
    assert inspect(engine).has_table("rate_limit_hits")
    engine.dispose()


def test_behind_a_proxy_each_client_is_limited_apart(bundled_runtime):
    from kb import create_app

    config = {"TESTING": True, "SECRET_KEY": "t", "CONTRIBUTION_RATE": "1/hour", "PROXY_COUNT": 1}
    client = create_app(config, runtime=bundled_runtime).test_client()
    first = {"X-Forwarded-For": "203.0.113.7"}
    second = {"X-Forwarded-For": "198.51.100.2"}
    submit(client, headers=first)
    assert post_form(client, headers=first, title="Autre", summary="Autre.").status_code == 429
    submit(client, headers=second, title="Autre", summary="Autre.")
