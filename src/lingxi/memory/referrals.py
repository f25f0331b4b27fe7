"""Yearly counts of crisis-line referrals: how many replies named a crisis line, per calendar
year (UTC) and region of the lines. No words, no caller, no call: the counts an annual report
asks for (California SB 243 from 2027-07-01; `lingxi safety report --year`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lingxi.memory.schema import CrisisReferrals
from lingxi.memory.store import MemoryStore


async def count_referral(store: MemoryStore, *, year: int, region: str) -> None:
    """One more referral; an upsert, so workers sharing a database never lose a count."""
    insert = postgres_insert if store.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(CrisisReferrals).values(year=year, region=region[:8], count=1)
    statement = statement.on_conflict_do_update(
        index_elements=["year", "region"], set_={"count": CrisisReferrals.count + 1})
    async with store.sessions.begin() as s:
        await s.execute(statement)


async def referrals_in(store: MemoryStore, year: int) -> dict[str, int]:
    """The year's referrals by region."""
    async with store.sessions() as s:
        rows = await s.execute(select(CrisisReferrals.region, CrisisReferrals.count)
                               .where(CrisisReferrals.year == year)
                               .order_by(CrisisReferrals.region))
        return dict(rows.tuples().all())
