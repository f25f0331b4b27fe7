"""The one source of time in Lingxi.

Every module that needs "now" or "wait" takes a :class:`Clock`. Production uses
:class:`MonotonicClock`; tests and offline simulations use :class:`VirtualClock`, which
only moves when the test says so, so a test can state "the user speaks from 0.5 s to
2.5 s" and assert what happened at which virtual instant.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale (only differences are meaningful)."""
        ...

    async def sleep(self, seconds: float) -> None: ...

    async def sleep_until(self, deadline: float) -> None: ...


class MonotonicClock:
    """Real time, from the OS monotonic clock."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))

    async def sleep_until(self, deadline: float) -> None:
        await asyncio.sleep(max(0.0, deadline - self.now()))


class VirtualClock:
    """Time that advances only through :meth:`advance`.

    Sleepers are woken in deadline order; between wake-ups the event loop is allowed to
    settle so that everything a wake-up triggers happens at that virtual instant.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        await self.sleep_until(self._now + max(0.0, seconds))

    async def sleep_until(self, deadline: float) -> None:
        if deadline <= self._now:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (deadline, next(self._seq), fut))
        await fut

    async def advance(self, seconds: float) -> None:
        await self.advance_to(self._now + seconds)

    async def advance_to(self, target: float) -> None:
        await settle()
        while self._sleepers and self._sleepers[0][0] <= target:
            deadline, _, fut = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            if not fut.done():
                fut.set_result(None)
            await settle()
        self._now = max(self._now, target)
        await settle()


async def settle(max_rounds: int = 10_000) -> None:
    """Let every ready callback run until the loop has nothing left to do right now."""
    loop = asyncio.get_running_loop()
    for _ in range(max_rounds):
        await asyncio.sleep(0)
        # The ready queue is private; it is the only exact "is the loop idle" signal and this
        # helper is used for virtual time only, never on the production path.
        if not getattr(loop, "_ready", None):
            return
