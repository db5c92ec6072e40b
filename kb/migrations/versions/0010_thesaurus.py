"""thesaurus: groups of the field's equivalent and narrower terms, and public proposals

Only new tables: runs the same on SQLite and PostgreSQL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 02:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "thesaurus_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("narrower", sa.Text(), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("label"),
    )
    op.create_table(
        "thesaurus_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("narrower", sa.Text(), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("thesaurus_proposals")
    op.drop_table("thesaurus_groups")
