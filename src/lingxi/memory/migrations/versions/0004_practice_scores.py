"""Pronunciation practice scores across calls (the word and its score, nothing else).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_scores",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.String(128), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("call_id", sa.String(64), sa.ForeignKey("calls.id", ondelete="SET NULL")),
        sa.Column("word", sa.String(64), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_practice_user_at", "practice_scores", ["user_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_practice_user_at", "practice_scores")
    op.drop_table("practice_scores")
