"""The mood chart's data, where the person can see and control it: over HTTP (the page) behind
the same checks as the other user-data routes, and `lingxi data mood --user ID` as a table.
Consent on and off from the page, and deleting, reach a live call at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request

from lingxi.cli import main
from lingxi.config import Settings
from lingxi.memory import mood_store
from lingxi.memory.db import make_engine, migrate
from lingxi.memory.mood import MoodTurn
from lingxi.memory.routes import memory_routes
from lingxi.memory.schema import Mood, MoodDay
from lingxi.memory.service import MemoryService
from lingxi.memory.store import MemoryStore, TurnWrite
from lingxi.transport.app import create_app
from tests.memory.test_calls import identify, say
from tests.mood.test_mood_calls import count, harness

T0 = datetime(2026, 11, 20, 20, tzinfo=UTC)


async def seed(store: MemoryStore, user: str, days: int = 3) -> None:
    """A caller who agreed, with `days` days of one call each, the last with a check-in."""
    await mood_store.set_consent(store, user, "on", T0 - timedelta(days=days))
    for n in range(days):
        at, call = T0 - timedelta(days=days - 1 - n), f"{user}-c{n}"
        await store.open_call(user, call, at, None)
        for i, (label, valence) in enumerate((("sad", -0.5), ("neutral", 0.1))):
            await store.add_turn(TurnWrite(user, call, f"i{i}", "user", "…", at, mood=MoodTurn(
                at, label, valence, -0.2, "none", ("sleep",) if i == 0 else ())))
        await mood_store.summarise(store, call, checked_in=n == days - 1)


def app_for(memory: MemoryService, user: str = "alice") -> Starlette:
    """The data routes with a credential that reaches one user (a client secret's grant)."""
    def may_act_for(_request: Request, who: str) -> bool:
        return who == user

    return Starlette(routes=memory_routes(memory, may_act_for=may_act_for))


async def test_the_chart_data_and_its_key_checks(memory: MemoryService) -> None:
    await seed(memory.store, "alice")
    await seed(memory.store, "bob")
    transport = httpx.ASGITransport(app=app_for(memory))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        chart = await client.get("/v1/users/alice/mood")
        assert chart.status_code == 200
        data = chart.json()
        assert data["consent"]["state"] == "on"
        assert [d["checkins"] for d in data["days"]] == [0, 0, 1]
        assert all(d["valence"] == -0.2 and d["themes"] == {"sleep": 1} for d in data["days"])
        for method, path in (("GET", "/v1/users/bob/mood"), ("DELETE", "/v1/users/bob/mood"),
                             ("PUT", "/v1/users/bob/mood/consent")):
            refused = await client.request(method, path, json={"on": True})
            assert refused.status_code == 403, (method, path)
        assert (await client.put("/v1/users/alice/mood/consent",
                                 json={"on": "yes"})).status_code == 400
    assert await count(memory, MoodDay, "bob") == 3  # untouched


async def test_the_page_turns_it_off_and_a_live_call_forgets(memory: MemoryService) -> None:
    await mood_store.set_consent(memory.store, "alice", "on", T0)
    transport = httpx.ASGITransport(app=app_for(memory))
    async with harness(memory) as h, \
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await identify(h, "alice")
        await say(h, "我这几天都没睡好")
        await memory.writer.drain()
        assert len(h.call.memory.mood.turns) == 1
        off = await client.put("/v1/users/alice/mood/consent", json={"on": False})
        assert off.json() == {"user": "alice", "consent": "off"}
        assert h.call.memory.mood.turns == [] and not h.call.memory.mood.on
        await say(h, "今天还是很累")
        assert await count(memory, Mood, "alice") == 0
        on = await client.put("/v1/users/alice/mood/consent", json={"on": True})
        assert on.status_code == 200 and h.call.memory.mood.on
        await say(h, "今天好一点了")
        assert await count(memory, Mood, "alice") == 1
        deleted = await client.delete("/v1/users/alice/mood")
        assert deleted.json() == {"user": "alice", "deleted_turns": 1}
        assert h.call.memory.mood.turns == [] and h.call.memory.mood.on  # still agreed
    assert (await client_chart(memory, "alice"))["days"] == []


async def client_chart(memory: MemoryService, user: str) -> dict[str, object]:
    transport = httpx.ASGITransport(app=app_for(memory, user))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        result: dict[str, object] = (await client.get(f"/v1/users/{user}/mood")).json()
        return result


async def test_a_server_for_minors_refuses_to_turn_it_on(tmp_path: Path) -> None:
    app = create_app(Settings(duties=False, minor_mode=True,
                              database_url=f"sqlite:///{tmp_path / 'lingxi.db'}"))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        refused = await client.put("/v1/users/kid/mood/consent", json={"on": True})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "mood_not_allowed"
        assert (await client.put("/v1/users/kid/mood/consent", json={"on": False})).is_success
        assert (await client.get("/v1/users/kid/mood")).json()["consent"]["state"] == "off"


async def test_the_server_says_when_memory_is_off() -> None:
    app = create_app(Settings(memory=False, duties=False))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        off = await client.get("/v1/users/u/mood")
        assert off.status_code == 503 and off.json()["error"]["code"] == "memory_off"


async def _seed_file(url: str, user: str) -> None:
    store = MemoryStore(make_engine(url))
    try:
        await migrate(store.engine)
        await seed(store, user)
    finally:
        await store.close()


def test_lingxi_data_mood_prints_a_table(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'lingxi.db'}"
    asyncio.run(_seed_file(url, "u-cli"))
    main(["data", "mood", "--user", "u-cli", "--database-url", url])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "mood timeline: on"
    assert out[1].split()[:5] == ["day", "calls", "turns", "mood", "energy"]
    rows = out[2:]
    assert [r.split()[0] for r in rows] == ["2026-11-18", "2026-11-19", "2026-11-20"]
    assert all("-0.20" in r and "sleep 1" in r for r in rows)
    assert "yes" in rows[-1] and "yes" not in rows[0]
    with pytest.raises(SystemExit) as exit_info:
        main(["data", "mood", "--user", "nobody", "--database-url", url])
    assert exit_info.value.code == 1
