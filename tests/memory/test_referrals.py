"""Crisis-line referrals are counted per year in the database (no words, no caller) and
`lingxi safety report --year` prints the year's report."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from lingxi.cli import main
from lingxi.memory.referrals import count_referral, referrals_in
from lingxi.memory.service import MemoryService
from lingxi.session.call import CallSettings
from tests.harness import CallHarness
from tests.session.test_safety_in_calls import say_text


async def test_each_crisis_reply_is_counted_for_the_year_and_region(
        memory: MemoryService) -> None:
    async with CallHarness(settings=CallSettings(duties=False, memory=memory)) as h:
        await say_text(h, "今天天气不错")
        await say_text(h, "我不想活了")
        await say_text(h, "真的，我不想活了")
    async with CallHarness(settings=CallSettings(duties=False, memory=memory)) as h:
        await h.send({"type": "session.update", "session": {"lingxi": {"region": "GB"}}})
        await say_text(h, "I want to kill myself")
    await memory.writer.drain()
    year = datetime.now(UTC).year
    assert await referrals_in(memory.store, year) == {"CN": 2, "GB": 1}
    assert await referrals_in(memory.store, year - 1) == {}
    async with memory.store.engine.connect() as conn:
        columns = (await conn.execute(text("SELECT * FROM crisis_referrals"))).keys()
    assert set(columns) == {"year", "region", "count"}  # nothing about who, nothing said


async def test_the_report_command_prints_the_years_counts(
        memory: MemoryService, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    for region in ("US", "US", "CN"):
        await count_referral(memory.store, year=2027, region=region)
    await asyncio.to_thread(main, ["safety", "report", "--year", "2027",
                                   "--database-url", db_url])
    report = json.loads(capsys.readouterr().out)
    assert report["year"] == 2027 and report["crisis_referrals"] == 3
    assert report["by_region"] == {"CN": 1, "US": 2}
    await asyncio.to_thread(main, ["safety", "report", "--year", "2026",
                                   "--database-url", db_url])
    assert json.loads(capsys.readouterr().out)["crisis_referrals"] == 0
