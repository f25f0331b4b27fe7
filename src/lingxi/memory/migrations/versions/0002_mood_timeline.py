"""The mood timeline across calls: per-turn valence, arousal and themes; consent; per-call and
per-day summaries.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _user() -> sa.Column[str]:
    return sa.Column("user_id", sa.String(128), sa.ForeignKey("users.id", ondelete="CASCADE"),
                     nullable=False)


def upgrade() -> None:
    # Rows from before consent existed were kept without asking: the timeline starts empty.
    op.execute("DELETE FROM moods")
    with op.batch_alter_table("moods") as batch:
        batch.add_column(sa.Column("valence", sa.Float))
        batch.add_column(sa.Column("arousal", sa.Float))
        batch.add_column(sa.Column("themes", sa.String(80), nullable=False, server_default=""))
    op.create_table(
        "mood_consent",
        sa.Column("user_id", sa.String(128), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("asked_at", _TS),
        sa.Column("changed_at", _TS, nullable=False),
    )
    op.create_table(
        "mood_calls",
        sa.Column("call_id", sa.String(64), sa.ForeignKey("calls.id", ondelete="CASCADE"),
                  primary_key=True),
        _user(),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("turns", sa.Integer, nullable=False),
        sa.Column("valence", sa.Float, nullable=False),
        sa.Column("arousal", sa.Float, nullable=False),
        sa.Column("low", sa.Integer, nullable=False),
        sa.Column("themes", sa.Text, nullable=False),
        sa.Column("risk", sa.String(16), nullable=False),
        sa.Column("checked_in", sa.Boolean, nullable=False),
    )
    op.create_index("ix_mood_calls_user_id", "mood_calls", ["user_id"])
    op.create_table(
        "mood_days",
        sa.Column("user_id", sa.String(128), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("calls", sa.Integer, nullable=False),
        sa.Column("turns", sa.Integer, nullable=False),
        sa.Column("valence", sa.Float, nullable=False),
        sa.Column("arousal", sa.Float, nullable=False),
        sa.Column("low", sa.Integer, nullable=False),
        sa.Column("themes", sa.Text, nullable=False),
        sa.Column("risk", sa.String(16), nullable=False),
        sa.Column("checkins", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("mood_days", "mood_calls", "mood_consent"):
        op.drop_table(table)
    with op.batch_alter_table("moods") as batch:
        for column in ("themes", "arousal", "valence"):
            batch.drop_column(column)
