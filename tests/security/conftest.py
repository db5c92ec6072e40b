"""Fixtures for the hostile-input tests: the contribution fixtures (bundled corpus,
real database and index, on SQLite or on the PostgreSQL named by KB_DATABASE_URL)."""

from __future__ import annotations

import pytest

from tests.contribute.conftest import (  # noqa: F401  (fixtures)
    app,
    bundled_runtime,
    bundled_template,
    client,
    mod_client,
    moderator,
    outbox,
    runner_for,
    runtime,
    smtp_server,
)


@pytest.fixture
def app_config() -> dict:
    # Generous limits: these tests send many requests from one address on purpose.
    return {"TESTING": True, "SECRET_KEY": "test", "CONTRIBUTION_RATE": "10000/hour",
            "PREVIEW_RATE": "10000/hour", "LOGIN_RATE": "10000/hour"}
