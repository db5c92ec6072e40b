"""audience registry: in_registry and the English label of an audience

Audiences get a registry (practices/_audiences.yaml) like themes: a listed
audience is offered in the form, exported back to the file, and shown in English
on the English site when it has a ``label_en``. Only added columns with
defaults: runs the same on SQLite and PostgreSQL.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audiences") as batch:
        batch.add_column(sa.Column("in_registry", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("label_en", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audiences") as batch:
        batch.drop_column("label_en")
        batch.drop_column("in_registry")
