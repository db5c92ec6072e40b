"""hostile input: sign-in attempts (reserved revision, no change yet)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 02:45:00
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
