"""Reading a turn's prompt while the caller is still talking.

On two cores the embedded model reads 20–35 prompt tokens a second, and a turn after the
first brings 40–50 new ones (the last reply's end, the turn note, the caller's words): one to
two seconds before the first word. At a pause the words so far are known; sending that
prompt then (one generated token, nothing said) leaves it in the model server's cache, and
the real request reads only what changed. Only for a local model server: to a paid API every
prime would be a billed request.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from typing import Any

import httpx

from lingxi.engines.llm.client import ChatClient, Limits, UpstreamError

log = logging.getLogger(__name__)


def conversation_key(messages: list[dict[str, Any]]) -> str | None:
    """What a prime and the request after it share: everything before the last caller
    message and its turn note (the words may still change; the note follows the words)."""
    users = [i for i, m in enumerate(messages) if m.get("role") == "user"]
    if not users:
        return None
    end = users[-1]
    if end > 0 and messages[end - 1].get("role") == "system":
        end -= 1
    text = json.dumps(messages[:end], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class Primer:
    def __init__(self, chat: ChatClient) -> None:
        self.chat = chat
        self._reading: dict[str, asyncio.Task[None]] = {}

    def start(self, messages: list[dict[str, Any]]) -> None:
        """Read `messages` into the server's cache, unless this conversation is being read."""
        key = conversation_key(messages)
        if key is None or key in self._reading:
            return
        task = asyncio.get_running_loop().create_task(self._read(messages))
        self._reading[key] = task
        task.add_done_callback(lambda _: self._reading.pop(key, None))

    async def settled(self, messages: list[dict[str, Any]], limit_s: float) -> None:
        """Wait (at most `limit_s`) for a prime of this conversation still being read: sent
        beside it, the reply would land on another of the server's slots and read the whole
        prompt again."""
        task = self._reading.get(conversation_key(messages) or "")
        if task is not None:
            await asyncio.wait([task], timeout=limit_s)

    async def _read(self, messages: list[dict[str, Any]]) -> None:
        try:
            await self.chat.complete(messages, Limits(max_tokens=1))
        except (TimeoutError, httpx.HTTPError, UpstreamError) as exc:
            log.info("reading the prompt ahead failed (%s)", type(exc).__name__)
