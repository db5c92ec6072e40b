"""search: the thesaurus registry (reserved revision, no change yet)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 02:45:00
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
