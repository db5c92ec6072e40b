"""contributions v2: correction notes, e-mail notifications

A correction's note for the moderator, each moderator's notification choice,
the outgoing mail queue (kept until delivered), and the English label of a
registry theme. Only added columns with
defaults and a new table: runs the same on SQLite and PostgreSQL.

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-02 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("themes") as batch:
        batch.add_column(sa.Column("label_en", sa.String(length=300), nullable=True))
    with op.batch_alter_table("contributions") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("locale", sa.String(length=10), nullable=True))
    with op.batch_alter_table("moderators") as batch:
        batch.add_column(sa.Column("notify", sa.String(length=20), nullable=False,
                                   server_default="each"))
    op.create_table(
        "outgoing_mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outgoing_mails_recipient", "outgoing_mails", ["recipient"])
    op.create_index("ix_outgoing_mails_sent_at", "outgoing_mails", ["sent_at"])


def downgrade() -> None:
    op.drop_index("ix_outgoing_mails_sent_at", table_name="outgoing_mails")
    op.drop_index("ix_outgoing_mails_recipient", table_name="outgoing_mails")
    op.drop_table("outgoing_mails")
    with op.batch_alter_table("moderators") as batch:
        batch.drop_column("notify")
    with op.batch_alter_table("contributions") as batch:
        batch.drop_column("locale")
        batch.drop_column("note")
    with op.batch_alter_table("themes") as batch:
        batch.drop_column("label_en")
