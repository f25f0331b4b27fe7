"""The reply handle: one id, one cancel scope, one status."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["in_progress", "completed", "cancelled", "failed", "incomplete"]


@dataclass(eq=False)
class ResponseHandle:
    id: str
    item_id: str
    modalities: list[Literal["audio", "text"]]
    created_at: float
    metadata: dict[str, str] | None = None
    instructions: str | None = None
    tools: list[dict[str, Any]] | None = None  # this response's own, else the session's
    tool_choice: str | dict[str, Any] | None = None
    max_output_tokens: int | None = None  # None: no cap
    temperature: float | None = None
    voice: str | None = None  # this reply's own voice, else the session's
    status: Status = "in_progress"
    reason: str | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def live(self) -> bool:
        return self.status == "in_progress"

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    def cancel(self, reason: str) -> bool:
        """Cancel now: from this instant the edge drops every chunk stamped with this id."""
        if not self.live:
            return False
        self.status = "cancelled"
        self.reason = reason
        if self.task is not None:
            self.task.cancel()
        return True

    def finish(self, status: Status, reason: str | None = None) -> None:
        if self.live:
            self.status = status
            self.reason = reason
