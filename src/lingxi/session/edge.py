"""The edge of a call: raw messages in and out, the dialect, and the `lingxi.*` opt-in filter."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

from lingxi.protocol import server_events as ev
from lingxi.protocol.client_events import ClientEvent, ProtocolError, decode_json, parse_event
from lingxi.protocol.dialect import Dialect, GaDialect


class Channel(Protocol):
    """A bidirectional message pipe (a WebSocket, or memory in tests)."""

    async def receive(self) -> str | bytes | None:
        """The next message, or None once the peer has gone."""
        ...

    async def send(self, text: str) -> None: ...


class Edge:
    def __init__(
        self, dialect: Dialect, max_message_bytes: int, wants_lingxi: Callable[[], bool]
    ) -> None:
        self.dialect = dialect
        self.max_message_bytes = max_message_bytes
        self._wants_lingxi = wants_lingxi

    def decode(self, raw: str | bytes) -> ClientEvent:
        size = len(raw)
        if isinstance(raw, str) and size * 4 > self.max_message_bytes:
            size = len(raw.encode())  # only near the limit is the exact UTF-8 size needed
        if size > self.max_message_bytes:
            raise ProtocolError(
                "message_too_large",
                f"The message is {size} bytes; the limit is {self.max_message_bytes}. "
                "Send audio in smaller appends.",
            )
        return parse_event(self.dialect.inbound(decode_json(raw)))

    def encode(self, event: ev.ServerEvent) -> str | None:
        if event.type.startswith("lingxi.") and not self._wants_lingxi():
            return None
        keep_nulls = isinstance(event, ev.SessionCreated | ev.SessionUpdated)
        if isinstance(self.dialect, GaDialect):
            # The native dialect needs no rewriting: serialise straight from the model (3x
            # faster than via a dict, and audio deltas are most of the traffic).
            return event.model_dump_json(exclude_none=not keep_nulls)
        data: dict[str, Any] = event.model_dump(mode="json", exclude_none=not keep_nulls)
        out = self.dialect.outbound(data)
        return None if out is None else json.dumps(out, ensure_ascii=False)
