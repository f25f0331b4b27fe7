"""The caller's data, over HTTP (the page's settings) and on the command line: export all of
it, delete all of it."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

import httpx
import pytest

from lingxi.assemble import build_engines
from lingxi.cli import main
from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.tts.clause_cache import ClauseCache
from lingxi.interfaces import Voice
from lingxi.memory.db import make_engine, migrate
from lingxi.memory.store import MemoryStore
from lingxi.transport.app import create_app
from tests.memory.test_store import a_call
from tests.tts.test_clause_cache import CountingVoiceFake


async def seed(url: str, user: str) -> None:
    store = MemoryStore(make_engine(url))
    try:
        await migrate(store.engine)
        await a_call(store, user, f"sess_{user}")
    finally:
        await store.close()


async def test_export_and_delete_over_http(db_url: str) -> None:
    await seed(db_url, "u-http")
    app = create_app(Settings(database_url=db_url, duties=False))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        exported = await client.get("/v1/users/u-http/export")
        assert exported.status_code == 200
        data = exported.json()
        assert [t["text"] for t in data["turns"]] == ["我叫小王，我今天误机了", "换谁都会崩溃的"]
        assert len(data["facts"]) == 2 and len(data["moods"]) == 1
        deleted = await client.delete("/v1/users/u-http")
        assert deleted.json() == {"deleted": True, "user": "u-http"}
        gone = await client.get("/v1/users/u-http/export")
        assert gone.status_code == 404
        assert gone.json()["error"]["code"] == "not_found"


async def test_deleting_a_callers_data_empties_the_voices_clause_cache(db_url: str) -> None:
    # A kept clause can hold a caller's word ("上次你说误机了，"): gone with their data.
    await seed(db_url, "u-said")
    clock = MonotonicClock()
    voice = ClauseCache(CountingVoiceFake(), 1 << 20)
    engines = dataclasses.replace(build_engines(Settings(), clock), tts=voice)
    app = create_app(Settings(database_url=db_url, duties=False), engines=engines, clock=clock)
    _ = [pcm async for pcm in voice.synthesize("上次你说误机了，", Voice("zh"))]
    assert len(voice) == 1
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        assert (await client.delete("/v1/users/u-said")).status_code == 200
    assert len(voice) == 0 and voice.kept_bytes == 0


async def test_http_says_when_memory_is_off() -> None:
    app = create_app(Settings(memory=False, duties=False))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        response = await client.get("/v1/users/u1/export")
    assert response.status_code == 503 and response.json()["error"]["code"] == "memory_off"


async def test_a_broken_database_leaves_the_server_up_without_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    app = create_app(Settings(database_url=f"sqlite:///{blocked}/x/lingxi.db", duties=False))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        health = (await client.get("/healthz")).json()
        assert any("MEMORY OFF" in w for w in health["warnings"])
        assert (await client.get("/v1/users/u1/export")).status_code == 503


def test_data_export_and_delete_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         ) -> None:
    url = f"sqlite:///{tmp_path / 'lingxi.db'}"
    asyncio.run(seed(url, "u-cli"))
    main(["data", "export", "--user", "u-cli", "--database-url", url])
    data = json.loads(capsys.readouterr().out)
    assert data["user"]["id"] == "u-cli" and len(data["turns"]) == 2
    main(["data", "delete", "--user", "u-cli", "--database-url", url])
    assert json.loads(capsys.readouterr().out) == {"deleted": True, "user": "u-cli"}
    with pytest.raises(SystemExit) as exit_info:
        main(["data", "export", "--user", "u-cli", "--database-url", url])
    assert exit_info.value.code == 1
    assert "nothing is stored for user 'u-cli'" in capsys.readouterr().err


async def test_deleting_leaves_no_words_in_the_files_and_they_are_private(
        tmp_path: Path) -> None:
    folder = tmp_path / "data"
    url = f"sqlite+aiosqlite:///{folder / 'lingxi.db'}"
    app = create_app(Settings(database_url=url, duties=False))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await seed(url, "team/u-7")  # an id an API client chose, with a slash
        deleted = await client.delete("/v1/users/team/u-7")
        assert deleted.json() == {"deleted": True, "user": "team/u-7"}
    files = sorted(folder.glob("lingxi.db*"))
    assert files and all(f.stat().st_mode & 0o777 == 0o600 for f in files), files
    assert folder.stat().st_mode & 0o777 == 0o700
    held = b"".join(f.read_bytes() for f in files)
    assert "误机".encode() not in held and "小王".encode() not in held  # not even in the WAL
