"""The per-process memory service: the store, its writer, start-up migrations, retention."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import weakref
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from lingxi.clock import Clock
from lingxi.memory.db import make_engine, migrate, normalise_url
from lingxi.memory.referrals import count_referral
from lingxi.memory.store import MemoryStore
from lingxi.memory.writer import Writer

log = logging.getLogger(__name__)
T = TypeVar("T")


def utcnow() -> datetime:
    """Wall-clock time for what is stored (the call clock is monotonic and per process)."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class MemoryConfig:
    url: str | None = None  # None: SQLite under the user's data folder
    retention_days: float | None = None  # transcripts older than this are purged; None: kept
    note_tokens: int = 200
    purge_interval_s: float = 3600.0
    recall_timeout_s: float = 0.5  # a reply waits at most this long for the first recall


def run_in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on a fresh loop in another thread: start-up work that
    may be called from inside a running loop (tests) or outside one (the CLI)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, make()).result()


class Forgettable(Protocol):
    user: str | None

    def forget_everything(self) -> None: ...

    def mood_changed(self, on: bool | None) -> None:
        """The caller's mood timeline changed elsewhere (the page): on, off (and deleted), or
        only deleted (None)."""
        ...


class MemoryService:
    def __init__(self, store: MemoryStore, config: MemoryConfig,
                 wall: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.writer = Writer(store)
        self.config = config
        self.wall = wall
        self._retention: asyncio.Task[None] | None = None
        # The calls now remembering someone, so a deletion reaches them at once.
        self._live: weakref.WeakSet[Forgettable] = weakref.WeakSet()
        # What else holds what callers were told, shared by all of them (the voice's clause
        # cache): emptied whenever anyone's data is deleted.
        self.on_evict: list[Callable[[], None]] = []

    def attach(self, call: Forgettable) -> None:
        self._live.add(call)

    def evict(self, user: str) -> None:
        """Everything about `user` was deleted: live calls forget it too (not only the
        database), so no call recites a deleted fact."""
        for call in list(self._live):
            if call.user == user:
                call.forget_everything()
        for forget in self.on_evict:
            forget()

    def mood_changed(self, user: str, on: bool | None) -> None:
        """The caller's mood consent or timeline changed (the page): live calls follow."""
        for call in list(self._live):
            if call.user == user:
                call.mood_changed(on)

    @classmethod
    def open(cls, config: MemoryConfig, wall: Callable[[], datetime] = utcnow) -> MemoryService:
        """Migrate the schema (from empty or from an older revision) and apply retention,
        then hand back a service whose engine connects lazily on the serving loop."""
        url = normalise_url(config.url)
        run_in_thread(lambda: prepare(url, config.retention_days, wall()))
        return cls(MemoryStore(make_engine(url)), config, wall)

    def count_referral(self, region: str) -> None:
        """A reply named a crisis line: one more in this year's count (on the event loop)."""
        self.writer.submit(self, functools.partial(count_referral, year=self.wall().year,
                                                   region=region))

    # -- the writer's owner for service-level jobs (retention, referral counts) -------------

    @property
    def failed(self) -> bool:
        return False

    def fail(self, exc: BaseException) -> None:
        log.error("memory maintenance failed: %s", type(exc).__name__)

    # -- retention --------------------------------------------------------------------------

    def purge_before(self) -> datetime | None:
        days = self.config.retention_days
        return None if not days else self.wall() - timedelta(days=days)

    def keep_retention(self, clock: Clock) -> None:
        """Purge old transcripts periodically, from the first call on (idempotent)."""
        if self.purge_before() is None or (self._retention and not self._retention.done()):
            return
        self._retention = asyncio.get_running_loop().create_task(self._purge_every(clock))

    async def _purge_every(self, clock: Clock) -> None:
        while True:
            await clock.sleep(self.config.purge_interval_s)
            before = self.purge_before()
            if before is not None:
                self.writer.submit(self, functools.partial(MemoryStore.purge, before=before))

    async def close(self) -> None:
        if self._retention is not None:
            self._retention.cancel()
            await asyncio.gather(self._retention, return_exceptions=True)
        await self.writer.close()
        await self.store.close()


async def prepare(url: str, retention_days: float | None, now: datetime) -> None:
    engine = make_engine(url)
    try:
        for attempt in range(3):
            try:
                await migrate(engine)
                break
            except Exception:
                # Worker processes start together; one may be migrating the same database.
                if attempt == 2:
                    raise
                await asyncio.sleep(0.5 * (attempt + 1))
        if retention_days:
            purged = await MemoryStore(engine).purge(now - timedelta(days=retention_days))
            log.info("retention: %d old turns purged", purged)
    finally:
        await engine.dispose()


def safe_url(url: str | None) -> str:
    """The database URL for a log line: the password hidden."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable database URL)"


def open_memory(*, enabled: bool, url: str | None, retention_days: float | None,
                note_tokens: int = 200) -> MemoryService | None:
    """The service for a server, or None (logged) when memory is off or the database cannot
    be prepared: calls then go on without memory."""
    if not enabled:
        return None
    config = MemoryConfig(url=url, retention_days=retention_days, note_tokens=note_tokens)
    try:
        service = MemoryService.open(config)
    except Exception as exc:
        log.error("memory is OFF: the database %s could not be prepared (%s: %s)",
                  safe_url(url), type(exc).__name__, str(exc).splitlines()[0][:200])
        return None
    log.info("memory: %s", safe_url(url))
    return service
