"""The mood timeline in real calls (virtual clock, real database, SQLite and PostgreSQL):
consent asked once in a call of a returning caller; turns kept only after "yes", summarised per
call and per day when the call ends; "别记我的心情了" deletes the rows and the call's live
memory; a minor is never asked; a slide found in the stored days brings a check-in next call,
once; export and delete include all of it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lingxi.memory import mood_store
from lingxi.memory.schema import Mood, MoodCall, MoodDay
from lingxi.memory.service import MemoryService
from lingxi.memory.store import MemoryStore
from lingxi.memory.themes import themes_in
from lingxi.session.call import CallSettings
from tests.harness import CallHarness
from tests.memory.test_calls import identify, say

REPLY = "好的，我明白了。你慢慢说，我一直都在这里陪着你。"


def harness(memory: MemoryService, *, mood_minors: bool = False) -> CallHarness:
    return CallHarness(settings=CallSettings(duties=False, memory=memory,
                                             mood_minors=mood_minors), replies=(REPLY,))


async def returning(memory: MemoryService, user: str) -> None:
    """A caller who has called before (a first call is never asked)."""
    await memory.store.open_call(user, f"earlier-{user}", datetime.now(UTC) - timedelta(days=3),
                                 None)


async def count(memory: MemoryService, table: type[Mood | MoodCall | MoodDay], user: str) -> int:
    await memory.writer.drain()
    async with memory.store.sessions() as s:
        found = await s.scalar(select(func.count()).select_from(table).where(
            table.user_id == user))
        return int(found or 0)


async def test_asked_once_then_kept_and_summarised(memory: MemoryService) -> None:
    await returning(memory, "u-yes")
    async with harness(memory) as h:
        await identify(h, "u-yes")
        assert "愿意吗" in await say(h, "你好")
        assert "心情图" in await say(h, "好的")
        await say(h, "我最近老是失眠，好累")
        await say(h, "今天还行吧")
        await memory.writer.drain()  # measured in the writer, off the reply's path
        assert len(h.call.memory.mood.turns) == 2
    assert await count(memory, Mood, "u-yes") == 2  # (drains the writer)
    async with memory.store.sessions() as s:
        call = (await s.scalars(select(MoodCall).where(MoodCall.user_id == "u-yes"))).one()
        day = (await s.scalars(select(MoodDay).where(MoodDay.user_id == "u-yes"))).one()
    assert call.turns == 2 and '"sleep": 1' in call.themes and '"energy": 1' in call.themes
    assert day.calls == 1 and day.turns == 2
    async with harness(memory) as h:  # the next call: not asked again
        await identify(h, "u-yes")
        assert await say(h, "你好") == REPLY
    await memory.writer.drain()  # the call's summary is written as it ends
    data = await memory.store.export("u-yes")
    assert data is not None
    assert data["mood"]["consent"]["state"] == "on"
    assert len(data["mood"]["calls"]) == 2  # the second call's greeting was kept too
    assert [d["calls"] for d in data["mood"]["days"]] == [2]
    assert {t for m in data["moods"] for t in m["themes"]} == {"sleep", "energy"}
    assert await memory.store.delete_user("u-yes")
    for table in (Mood, MoodCall, MoodDay):
        assert await count(memory, table, "u-yes") == 0


async def test_no_keeps_nothing_and_is_not_asked_again(memory: MemoryService) -> None:
    await returning(memory, "u-no")
    async with harness(memory) as h:
        await identify(h, "u-no")
        assert "愿意吗" in await say(h, "你好")
        assert "不记" in await say(h, "不用了")
        await say(h, "我最近老是失眠")
    async with harness(memory) as h:
        await identify(h, "u-no")
        assert await say(h, "你好") == REPLY
    assert await count(memory, Mood, "u-no") == 0
    assert (await mood_store.consent(memory.store, "u-no"))[0] == "off"


async def test_asked_once_even_without_an_answer(memory: MemoryService) -> None:
    await returning(memory, "u-gone")
    async with harness(memory) as h:
        await identify(h, "u-gone")
        assert "愿意吗" in await say(h, "你好")
    async with harness(memory) as h:  # they hung up; the next call does not ask again
        await identify(h, "u-gone")
        assert await say(h, "你好") == REPLY
    assert await count(memory, Mood, "u-gone") == 0


async def test_stop_deletes_the_rows_and_the_live_memory(memory: MemoryService) -> None:
    await mood_store.set_consent(memory.store, "u-stop", "on", datetime.now(UTC))
    async with harness(memory) as h:
        await identify(h, "u-stop")
        await say(h, "我最近吃不下饭")
        await memory.writer.drain()
        assert await count(memory, Mood, "u-stop") == 1
        assert "删掉" in await say(h, "别记我的心情了")
        await say(h, "今天又没睡好")
        await memory.writer.drain()
        assert h.call.memory.mood.turns == [] and not h.call.memory.mood.on
        assert await count(memory, Mood, "u-stop") == 0
    for table in (Mood, MoodCall, MoodDay):
        assert await count(memory, table, "u-stop") == 0
    assert (await mood_store.consent(memory.store, "u-stop"))[0] == "off"


async def test_a_minor_is_never_asked_unless_the_operator_allows(memory: MemoryService) -> None:
    for user in ("u-kid", "u-kid-allowed"):
        await returning(memory, user)
    async with harness(memory) as h:
        await h.send({"type": "session.update", "session": {"type": "realtime", "lingxi": {
            "user": "u-kid", "minor": True}}})
        await h.call.memory.ready()
        assert await say(h, "你好") == REPLY
        assert "没有开启" in await say(h, "帮我记录我的心情")
        await say(h, "我好累")
    assert await count(memory, Mood, "u-kid") == 0
    async with harness(memory, mood_minors=True) as h:
        await h.send({"type": "session.update", "session": {"type": "realtime", "lingxi": {
            "user": "u-kid-allowed", "minor": True}}})
        await h.call.memory.ready()
        assert "愿意吗" in await say(h, "你好")


async def seed_slide(memory: MemoryService, user: str) -> None:
    """Two weeks of stored days, the second week low and sleepless."""
    today = datetime.now(UTC).date()
    await mood_store.set_consent(memory.store, user, "on", datetime.now(UTC))
    async with memory.store.sessions.begin() as s:
        for ago in range(20, 0, -1):
            low = ago <= 8
            s.add(MoodDay(user_id=user, day=today - timedelta(days=ago), calls=1, turns=4,
                          valence=-0.5 if low else 0.1, arousal=-0.3 if low else 0.0,
                          low=3 if low else 0, themes='{"sleep": 1}' if low else "{}",
                          risk="none", checkins=0))


async def test_a_slide_brings_one_gentle_check_in_next_call(memory: MemoryService) -> None:
    await seed_slide(memory, "u-slide")
    async with harness(memory) as h:
        await identify(h, "u-slide")
        said = await say(h, "你好")
        assert "8次" in said and "睡不好" in said and "12356" in said.replace(" ", "")
        assert "第一个问题" in await say(h, "做个自测")
        await say(h, "有几天")
    await memory.writer.drain()  # the summary is written as the call ends
    async with memory.store.sessions() as s:
        call = (await s.scalars(select(MoodCall).where(MoodCall.user_id == "u-slide"))).one()
    assert call.checked_in  # marked on the chart
    async with harness(memory) as h:  # checked in this week already
        await identify(h, "u-slide")
        assert await say(h, "你好") == REPLY


async def test_acute_risk_in_a_call_with_a_check_in_due_goes_to_safety(
        memory: MemoryService) -> None:
    await seed_slide(memory, "u-acute")
    async with harness(memory) as h:
        await identify(h, "u-acute")
        said = await say(h, "我不想活了")
        assert "伤害自己" in said and "自测" not in said
        assert h.call.safety.level != "none"


async def test_nothing_of_it_runs_on_the_path_of_a_reply(
        memory: MemoryService, monkeypatch: pytest.MonkeyPatch) -> None:
    """The themes and the summary are computed in the memory writer's task, never in the
    call's tasks that carry audio and replies."""
    from lingxi.memory import mood_live

    seen: list[str] = []

    def themes(text: str) -> tuple[str, ...]:
        task = asyncio.current_task()
        seen.append(task.get_name() if task is not None else "")
        return real_themes(text)

    async def summarise(store: MemoryStore, call: str, *, checked_in: bool = False) -> None:
        task = asyncio.current_task()
        seen.append(task.get_name() if task is not None else "")
        await real_summarise(store, call, checked_in=checked_in)

    real_themes, real_summarise = themes_in, mood_store.summarise
    monkeypatch.setattr(mood_live, "themes_in", themes)
    monkeypatch.setattr(mood_store, "summarise", summarise)
    await mood_store.set_consent(memory.store, "u-path", "on", datetime.now(UTC))
    async with harness(memory) as h:
        await identify(h, "u-path")
        await say(h, "我最近老是失眠")
        await say(h, "也没什么胃口")
    await memory.writer.drain()
    assert len(seen) == 3 and set(seen) == {"lingxi-memory-writer"}
