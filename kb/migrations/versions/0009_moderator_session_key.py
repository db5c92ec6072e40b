"""moderator session key: an opaque random id in the session cookie

The moderator's session cookie held their database id and e-mail (readable by
anyone holding the cookie: it is signed, not encrypted). It now holds this
random key and the session version only. Existing accounts get a key each;
sessions opened before the upgrade end (their cookies carry no key).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 02:45:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_moderators = sa.table("moderators", sa.column("id", sa.Integer),
                       sa.column("session_key", sa.String(64)))


def upgrade() -> None:
    with op.batch_alter_table("moderators") as batch:
        batch.add_column(sa.Column("session_key", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for (moderator_id,) in connection.execute(sa.select(_moderators.c.id)).all():
        connection.execute(sa.update(_moderators).where(_moderators.c.id == moderator_id)
                           .values(session_key=secrets.token_urlsafe(24)))
    with op.batch_alter_table("moderators") as batch:
        batch.alter_column("session_key", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_moderators_session_key", ["session_key"])


def downgrade() -> None:
    with op.batch_alter_table("moderators") as batch:
        batch.drop_constraint("uq_moderators_session_key", type_="unique")
        batch.drop_column("session_key")
