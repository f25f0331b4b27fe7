"""Yearly counts of crisis-line referrals (no words, no caller): California SB 243's annual
report.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crisis_referrals",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("region", sa.String(8), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("crisis_referrals")
