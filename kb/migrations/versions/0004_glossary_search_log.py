"""glossary and search log

The glossary of acronyms (terms and anonymous proposals) and the moderators'
search log (normalised query, filters, result count and day; nothing about who
searched). Only new tables: runs the same on SQLite and PostgreSQL.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "glossary_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acronym", sa.String(length=20), nullable=False),
        sa.Column("expansion", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("source_title", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("acronym"),
    )
    op.create_table(
        "glossary_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acronym", sa.String(length=20), nullable=False),
        sa.Column("expansion", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("source_title", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "search_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("query", sa.String(length=300), nullable=False),
        sa.Column("filters", sa.String(length=1000), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_search_log_day_query", "search_log", ["day", "query"])


def downgrade() -> None:
    op.drop_index("ix_search_log_day_query", table_name="search_log")
    op.drop_table("search_log")
    op.drop_table("glossary_proposals")
    op.drop_table("glossary_terms")
