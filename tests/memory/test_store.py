"""The database itself, on SQLite and on a real PostgreSQL: migrations, export, delete,
retention, forgetting."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect

from lingxi.memory import practice_store
from lingxi.memory.db import make_engine, migrate, revision
from lingxi.memory.mood import MoodTurn
from lingxi.memory.service import MemoryService
from lingxi.memory.store import FactView, MemoryStore, TurnWrite
from tests.postgres import fresh_postgres_db

T0 = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def fact(text: str, kind: str = "event", at: datetime = T0) -> FactView:
    return FactView(id=uuid.uuid4().hex, kind=kind, text=text, lang="zh", at=at)


async def a_call(store: MemoryStore, user: str, call: str, at: datetime = T0) -> None:
    await store.open_call(user, call, at, persona="sunwukong")
    await store.add_turn(TurnWrite(user, call, "item_u1", "user", "我叫小王，我今天误机了", at,
                                   facts=[fact("小王", "name", at), fact("误机了", at=at)],
                                   mood=MoodTurn(at, "sad", -0.6, -0.3, "none", ("sleep",))))
    await store.add_turn(TurnWrite(user, call, "item_a1", "assistant", "换谁都会崩溃的", at))
    await practice_store.add(store, user, call, "Think", 62, at)
    await store.end_call(call, at + timedelta(minutes=5))


async def test_migrations_run_from_empty_and_again(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert await revision(engine) is None
        await migrate(engine)
        await migrate(engine)  # at head already: nothing to do, nothing breaks
        assert await revision(engine) == "0004"
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"users", "calls", "turns", "facts", "moods", "mood_consent", "mood_calls",
            "mood_days", "practice_scores", "alembic_version"} <= tables
    finally:
        await engine.dispose()


async def test_export_has_everything_and_delete_leaves_nothing(memory: MemoryService) -> None:
    store = memory.store
    await a_call(store, "u-wang", "sess_1")
    await a_call(store, "u-other", "sess_2")
    data = await store.export("u-wang")
    assert data is not None
    assert data["user"]["persona"] == "sunwukong"
    assert [c["id"] for c in data["calls"]] == ["sess_1"]
    assert data["calls"][0]["ended_at"] is not None
    assert [(t["role"], t["text"]) for t in data["turns"]] == [
        ("user", "我叫小王，我今天误机了"), ("assistant", "换谁都会崩溃的")]
    assert sorted(f["text"] for f in data["facts"]) == ["小王", "误机了"]
    user_turn_id = data["turns"][0]["id"]
    assert {f["turn_id"] for f in data["facts"]} == {user_turn_id}  # the source turn
    assert data["moods"] == [{"call_id": "sess_1", "at": T0.isoformat(), "affect": "sad",
                              "risk": "none", "valence": -0.6, "arousal": -0.3,
                              "themes": ["sleep"]}]
    assert data["practice"] == [{"word": "think", "score": 62, "call_id": "sess_1",
                                 "at": T0.isoformat()}]

    assert await store.delete_user("u-wang") is True
    assert await store.export("u-wang") is None
    assert (await store.recall("u-wang")).facts == ()
    assert await store.delete_user("u-wang") is False
    other = await store.export("u-other")  # someone else's data is untouched
    assert other is not None and len(other["turns"]) == 2 and len(other["facts"]) == 2
    assert await practice_store.latest(store, "u-wang") == {}
    assert list(await practice_store.latest(store, "u-other")) == ["think"]


async def test_practice_recalls_each_words_newest_score(memory: MemoryService) -> None:
    store = memory.store
    await store.open_call("u-li", "sess_1", T0, persona=None)
    for minutes, word, score in ((0, "think", 40), (1, "three", 70), (2, "THINK", 62)):
        at = T0 + timedelta(minutes=minutes)
        await practice_store.add(store, "u-li", "sess_1", word, score, at)
    found = await practice_store.latest(store, "u-li")
    assert {w: p.score for w, p in found.items()} == {"think": 62, "three": 70}
    assert found["think"].at == T0 + timedelta(minutes=2)


async def test_retention_purges_old_transcripts_only(memory: MemoryService) -> None:
    store = memory.store
    await a_call(store, "u1", "old", at=T0 - timedelta(days=40))
    await a_call(store, "u1", "new", at=T0)
    assert await store.purge(T0 - timedelta(days=30)) == 2
    data = await store.export("u1")
    assert data is not None
    assert {t["call_id"] for t in data["turns"]} == {"new"}
    assert len(data["facts"]) == 4  # facts stay (unlinked from the purged turns)


async def test_forget_deletes_the_fact_and_its_words(memory: MemoryService) -> None:
    store = memory.store
    await a_call(store, "u1", "c1")
    recall = await store.recall("u1")
    event = next(f for f in recall.facts if f.kind == "event")
    await store.forget(event.id)
    data = await store.export("u1")
    assert data is not None
    assert [f["text"] for f in data["facts"]] == ["小王"]
    assert data["turns"][0]["text"] == ""  # the words it came from are gone too


async def test_recall_keeps_the_name_behind_many_newer_facts(memory: MemoryService) -> None:
    store = memory.store
    await store.open_call("u1", "c1", T0, None)
    await store.add_turn(TurnWrite("u1", "c1", "i0", "user", "我叫小王", T0,
                                   facts=[fact("小王", "name")]))
    later = [fact(f"喜欢{i}", "like", T0 + timedelta(seconds=i + 1)) for i in range(30)]
    await store.add_turn(TurnWrite("u1", "c1", "i1", "user", "…", T0, facts=later))
    recall = await store.recall("u1", limit=10)
    assert recall.facts[0].text == "喜欢29"  # newest first
    assert any(f.kind == "name" and f.text == "小王" for f in recall.facts)
    assert recall.persona is None and recall.calls == 1


async def test_the_migrations_build_exactly_the_models(db_url: str) -> None:
    """A change to the tables without a migration fails here, on both databases."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from lingxi.memory.schema import Base

    engine = make_engine(db_url)
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata))
        assert diff == []
    finally:
        await engine.dispose()


async def test_retention_at_start_up_and_every_hour(db_url: str) -> None:
    from lingxi.clock import VirtualClock
    from lingxi.memory.service import MemoryConfig

    now = [T0]
    engine = make_engine(db_url)
    try:
        await migrate(engine)
        await a_call(MemoryStore(engine), "u1", "old", at=T0 - timedelta(days=10))
        await a_call(MemoryStore(engine), "u1", "new", at=T0 - timedelta(days=5))
    finally:
        await engine.dispose()
    config = MemoryConfig(url=db_url, retention_days=7, purge_interval_s=3600)
    memory = MemoryService.open(config, wall=lambda: now[0])  # start-up purges "old"
    try:
        data = await memory.store.export("u1")
        assert data is not None and {t["call_id"] for t in data["turns"]} == {"new"}
        clock = VirtualClock()
        memory.keep_retention(clock)
        now[0] = T0 + timedelta(days=3)  # "new" is now 8 days old
        await clock.advance(3600)
        await memory.writer.drain()
        data = await memory.store.export("u1")
        assert data is not None and data["turns"] == []
        assert len(data["facts"]) == 4  # remembered facts are not transcripts
    finally:
        await memory.close()


async def test_odd_input_is_stored_not_refused(memory: MemoryService) -> None:
    """Client-chosen item ids have no length limit and text may hold NUL (PostgreSQL
    refuses both as they come): a turn is still stored, and can still be corrected."""
    store = memory.store
    await store.open_call("u1", "c1", T0, "p" * 100)
    item = "item_" + "x" * 200
    await store.add_turn(TurnWrite("u1", "c1", item, "assistant", "你好\x00呀", T0))
    await store.update_heard("c1", item, "你\x00")
    data = await store.export("u1")
    assert data is not None
    assert [t["text"] for t in data["turns"]] == ["你"]
    assert data["user"]["persona"] == "p" * 64


async def test_workers_starting_together_migrate_one_database_once(
        postgres_server: str) -> None:
    """Two workers sharing a PostgreSQL start at the same moment: both must come up with the
    schema, neither failing on tables the other just made."""
    url = await fresh_postgres_db(postgres_server)
    engines = [make_engine(url) for _ in range(4)]
    try:
        # (Without a lock they deadlock, or one fails on a duplicate table: bounded here.)
        await asyncio.wait_for(asyncio.gather(*(migrate(e) for e in engines)), 120)
        assert {await revision(e) for e in engines} == {await revision(engines[0])} != {None}
    finally:
        for e in engines:
            await e.dispose()
