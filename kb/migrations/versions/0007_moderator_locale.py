"""moderator locale: the language of the messages sent to a moderator

A moderator who signs in to the English site gets English notifications and
digests. Only an added column with a default: runs the same on SQLite and
PostgreSQL.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("moderators") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=5), nullable=False,
                                   server_default="fr"))


def downgrade() -> None:
    with op.batch_alter_table("moderators") as batch:
        batch.drop_column("locale")
