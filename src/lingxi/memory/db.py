"""Connecting: the database URL, the engine (SQLite tuned for durability) and migrations."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from lingxi.files import private_file


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "lingxi"


def default_url() -> str:
    return f"sqlite+aiosqlite:///{data_dir() / 'lingxi.db'}"


def normalise_url(url: str | None) -> str:
    """Accept the URLs people have ("postgres://", "postgresql://", a bare file path)."""
    if not url:
        return default_url()
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+asyncpg://" + url[len(plain):]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://"):]
    if "://" not in url:
        return f"sqlite+aiosqlite:///{Path(url).expanduser()}"
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL with synchronous=NORMAL survives a killed process (every commit is in the log
    # file before it returns); foreign keys make deleting a user cascade.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Deleted rows are overwritten, not just unlinked: a deleted caller's words do not
    # linger in free pages of the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str | None) -> AsyncEngine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            private_file(Path(path))
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("lingxi.memory").joinpath("migrations")))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(_alembic_config(connection), "head")


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


# Any constant both workers agree on: the key of the advisory lock migrations hold.
_MIGRATION_LOCK = 0x6C696E67  # "ling"


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision (from empty, or from any older one).

    Workers sharing one PostgreSQL start together and would all create the same tables at
    once; an advisory lock held for the transaction lets one migrate while the others wait,
    then find the schema current (PostgreSQL's DDL is transactional)."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                     {"key": _MIGRATION_LOCK})
        await connection.run_sync(_upgrade)


async def revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_current)
