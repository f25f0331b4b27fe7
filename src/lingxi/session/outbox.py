"""Two lanes to the client: control (never waits) and data (droppable when its reply is stale)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from lingxi.clock import Clock
from lingxi.protocol.server_events import ServerEvent
from lingxi.session.handle import ResponseHandle


@dataclass(slots=True)
class Outgoing:
    event: ServerEvent
    response: ResponseHandle | None
    enqueued_at: float
    on_sent: Callable[[float], None] | None = None  # told the time it reached the socket


# Control events waiting for a client that does not read: past this the call is closed,
# never buffered without bound (a flood of invalid events grew a server by 1.2 GB in 20 s).
MAX_PENDING_CONTROL = 4096


class Outbox:
    def __init__(self, clock: Clock, max_control: int = MAX_PENDING_CONTROL) -> None:
        self._clock = clock
        self._max_control = max_control
        self.overflowed = asyncio.Event()  # the client stopped reading: end the call
        self._control: deque[Outgoing] = deque()
        self._data: deque[Outgoing] = deque()
        self._ready = asyncio.Event()
        self._data_empty = asyncio.Event()
        self._data_empty.set()
        self._all_sent = asyncio.Event()  # both lanes empty and the last event handed over
        self._all_sent.set()
        self.dropped = 0

    def control(self, event: ServerEvent) -> None:
        if len(self._control) >= self._max_control:
            self.overflowed.set()
            return
        self._control.append(Outgoing(event, None, self._clock.now()))
        self._all_sent.clear()
        self._ready.set()

    def data(self, event: ServerEvent, response: ResponseHandle,
             on_sent: Callable[[float], None] | None = None) -> None:
        if response.cancelled:
            self.dropped += 1
            return
        self._data.append(Outgoing(event, response, self._clock.now(), on_sent))
        self._data_empty.clear()
        self._all_sent.clear()
        self._ready.set()

    async def next(self) -> Outgoing:
        while True:
            if self._control:
                return self._control.popleft()
            while self._data:
                item = self._data.popleft()
                if not self._data:
                    self._data_empty.set()
                if item.response is not None and item.response.cancelled:
                    self.dropped += 1
                    continue
                return item
            self._ready.clear()
            self._all_sent.set()  # asked for more: everything before was sent
            await self._ready.wait()

    async def all_sent(self) -> None:
        """Until every queued event has been written (the sender asked for the next one)."""
        await self._all_sent.wait()

    async def data_flushed(self) -> None:
        await self._data_empty.wait()
