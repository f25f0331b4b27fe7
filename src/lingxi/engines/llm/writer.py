"""The language model as a skill's writer (parody lyrics, a made-up story): the same chat
client as the responder, its own prompt and token budget, errors as `WriterError`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from lingxi.engines.llm.client import ChatClient, Limits, UpstreamError
from lingxi.engines.spoken import SpokenFilter
from lingxi.interfaces import WriteRequest, WriterError


class ModelWriter:
    def __init__(self, chat: ChatClient) -> None:
        self.chat = chat
        self.name = f"llm:{chat.config.model}"

    async def write(self, request: WriteRequest) -> AsyncIterator[str]:
        messages = [{"role": m.role, "content": m.text} for m in request.messages]
        stream = self.chat.stream(messages, limits=Limits(request.max_tokens,
                                                          request.temperature))
        spoken = SpokenFilter() if request.spoken else None
        try:
            async for token in stream:
                if not isinstance(token, str):
                    continue  # no tools are offered; a stray call is not text
                text = spoken.push(token) if spoken else token
                if text:
                    yield text
            rest = spoken.flush() if spoken else ""
            if rest:
                yield rest
        except (httpx.HTTPError, UpstreamError) as exc:
            raise WriterError(type(exc).__name__) from exc
        finally:
            await stream.aclose()  # type: ignore[attr-defined]  # an async generator
