"""security: sessions that end, public history, stored HTML

- ``moderators.session_version``: a moderator's sessions carry it; logout,
  a password change or a removal increments it, which ends them all.
- ``revisions.public``: only published versions are public; the contributor's
  original of an edited contribution (recorded as a revision before) is not.
- ``revisions.html``: the body rendered when the revision is saved.
- ``revisions.purged_at``: a moderator removed the content (personal data...).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CONTRIBUTOR_NOTE = "Version proposée par un contributeur"


def upgrade() -> None:
    with op.batch_alter_table("moderators") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                   server_default="1"))
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("public", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
        batch.add_column(sa.Column("html", sa.Text(), nullable=True))
        batch.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))
    revisions = sa.table("revisions", sa.column("public", sa.Boolean()), sa.column("note", sa.Text()))
    op.execute(revisions.update().where(revisions.c.note == CONTRIBUTOR_NOTE)
               .values(public=False))


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("purged_at")
        batch.drop_column("html")
        batch.drop_column("public")
    with op.batch_alter_table("moderators") as batch:
        batch.drop_column("session_version")
