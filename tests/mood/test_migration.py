"""Migration 0002 on SQLite and PostgreSQL: from a 0001 database with mood rows that were kept
before anyone was asked, the timeline starts empty (those rows were never consented to), the
new columns and tables are there, and everything else stays."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from lingxi.memory.db import _alembic_config, make_engine, migrate, revision


async def test_from_0001_the_unasked_moods_go_and_the_rest_stays(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda c: command.upgrade(_alembic_config(c), "0001"))
            await conn.execute(text(
                "INSERT INTO users (id, created_at, last_seen_at) VALUES "
                "('u1', '2026-11-01 10:00:00+00', '2026-11-01 10:00:00+00')"))
            await conn.execute(text(
                "INSERT INTO calls (id, user_id, started_at) VALUES "
                "('c1', 'u1', '2026-11-01 10:00:00+00')"))
            await conn.execute(text(
                "INSERT INTO moods (call_id, user_id, at, affect, risk) VALUES "
                "('c1', 'u1', '2026-11-01 10:00:00+00', 'sad', 'none')"))
        assert await revision(engine) == "0001"
        await migrate(engine)
        assert await revision(engine) == "0004"
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM moods"))).scalar() == 0
            assert (await conn.execute(text("SELECT count(*) FROM calls"))).scalar() == 1
            columns = await conn.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("moods")})
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"valence", "arousal", "themes"} <= columns
        assert {"mood_consent", "mood_calls", "mood_days"} <= tables
    finally:
        await engine.dispose()
