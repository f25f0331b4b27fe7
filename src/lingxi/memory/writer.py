"""One writer per process: the event loop only enqueues; this task commits, in order.

A job that fails turns memory off for the call it belongs to (logged, without any text);
the call itself carries on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from lingxi.memory.store import MemoryStore

log = logging.getLogger(__name__)
Job = Callable[[MemoryStore], Awaitable[Any]]


class Owner(Protocol):
    """Whoever a job is done for; told when one of its jobs failed."""

    @property
    def failed(self) -> bool: ...

    def fail(self, exc: BaseException) -> None: ...


class Writer:
    def __init__(self, store: MemoryStore, max_queued: int = 10_000) -> None:
        self.store = store
        self._max = max_queued
        self._queue: asyncio.Queue[tuple[Owner, Job, asyncio.Future[None]]] | None = None
        self._task: asyncio.Task[None] | None = None

    def submit(self, owner: Owner, job: Job) -> asyncio.Future[None] | None:
        """Queue a job (never waits); the future is done once the job is committed or has
        failed (None: not queued). A full queue means the database has stalled: the owner's
        memory goes off rather than the process growing without bound."""
        if owner.failed:
            return None
        loop = asyncio.get_running_loop()
        if self._queue is None or self._task is None or self._task.done():
            self._queue = asyncio.Queue(self._max)
            self._task = loop.create_task(self._run(self._queue), name="lingxi-memory-writer")
        done: asyncio.Future[None] = loop.create_future()
        try:
            self._queue.put_nowait((owner, job, done))
        except asyncio.QueueFull as exc:
            owner.fail(exc)
            return None
        return done

    async def _run(self, queue: asyncio.Queue[tuple[Owner, Job, asyncio.Future[None]]]) -> None:
        while True:
            owner, job, done = await queue.get()
            try:
                if not owner.failed:
                    await job(self.store)
            except Exception as exc:
                owner.fail(exc)
            finally:
                if not done.done():
                    done.set_result(None)
                queue.task_done()

    async def drain(self) -> None:
        """Wait until everything queued so far is committed (or has failed)."""
        if self._queue is not None and self._task is not None and not self._task.done():
            await self._queue.join()

    async def close(self) -> None:
        await self.drain()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
