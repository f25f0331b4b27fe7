"""Databases for memory tests: a SQLite file per test, or a fresh database on the session's
throwaway PostgreSQL server (tests/postgres.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lingxi.memory.service import MemoryConfig, MemoryService
from tests.postgres import fresh_postgres_db


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a new database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'lingxi.db'}"
    admin: str = request.getfixturevalue("postgres_server")
    return await fresh_postgres_db(admin)


@pytest.fixture
async def memory(db_url: str) -> AsyncIterator[MemoryService]:
    """A migrated memory service on an empty database."""
    service = await asyncio.to_thread(MemoryService.open, MemoryConfig(url=db_url))
    try:
        yield service
    finally:
        await service.close()


@pytest.fixture
async def sqlite_memory(tmp_path: Path) -> AsyncIterator[MemoryService]:
    """For tests of behaviour that does not depend on the backend."""
    service = MemoryService.open(MemoryConfig(url=f"sqlite:///{tmp_path / 'lingxi.db'}"))
    try:
        yield service
    finally:
        await service.close()
