"""The first schema: users, calls, turns, facts, moods.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("last_seen_at", _TS, nullable=False),
        sa.Column("persona", sa.String(64)),
    )
    op.create_table(
        "calls",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(128), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("started_at", _TS, nullable=False),
        sa.Column("ended_at", _TS),
    )
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("call_id", sa.String(64), sa.ForeignKey("calls.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("user_id", sa.String(128), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", _TS, nullable=False),
    )
    op.create_index("ix_turns_user_at", "turns", ["user_id", "at"])
    op.create_table(
        "facts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(128), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("call_id", sa.String(64), sa.ForeignKey("calls.id", ondelete="SET NULL")),
        sa.Column("turn_id", sa.Integer, sa.ForeignKey("turns.id", ondelete="SET NULL")),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("happened_on", _TS),
        sa.Column("asked_at", _TS),
    )
    op.create_index("ix_facts_user_at", "facts", ["user_id", "at"])
    op.create_index("ix_facts_user_kind_at", "facts", ["user_id", "kind", "at"])
    op.create_table(
        "moods",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("call_id", sa.String(64), sa.ForeignKey("calls.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("user_id", sa.String(128), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("affect", sa.String(16), nullable=False),
        sa.Column("risk", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    for table in ("moods", "facts", "turns", "calls", "users"):
        op.drop_table(table)
