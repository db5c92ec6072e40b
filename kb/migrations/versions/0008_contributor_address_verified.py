"""contributor address verified: set once its owner opened a link kb mailed to it

Until then, mails to the address hold only kb's own words and the link (no name
or title typed by a visitor). A boolean with a default, no address copied
anywhere: erasing the address erases what it meant. Runs the same on SQLite and
PostgreSQL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 02:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contributions") as batch:
        batch.add_column(sa.Column("email_verified", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("contributions") as batch:
        batch.drop_column("email_verified")
