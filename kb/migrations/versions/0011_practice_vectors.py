"""search: practice vectors of the meaning layer, keyed by content hash

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 02:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_vectors",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(40), nullable=False),
        sa.Column("dims", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("content_hash", "position"),
    )
    op.create_index("ix_practice_vectors_content_hash", "practice_vectors", ["content_hash"])


def downgrade() -> None:
    op.drop_index("ix_practice_vectors_content_hash", table_name="practice_vectors")
    op.drop_table("practice_vectors")
