"""The bundled corpus (thesaurus included), a real database and index, moderator logins."""

from tests.contribute.conftest import (  # noqa: F401
    app,
    app_config,
    bundled_runtime,
    bundled_template,
    client,
    mod_client,
    moderator,
    outbox,
    runtime,
)
