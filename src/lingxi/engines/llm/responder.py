"""A language model by URL as the responder, with the offline companion as its safety net.

If the server is down or its first token is too slow, the caller hears a short apology and
the companion answers at once, so the call never goes silent; for a little while afterwards
the companion answers directly instead of waiting on the server again.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from lingxi import metrics
from lingxi.clock import Clock
from lingxi.engines.llm.client import (
    ChatClient,
    Limits,
    UpstreamError,
    chat_tool_choice,
    chat_tools,
)
from lingxi.engines.llm.opening import opening
from lingxi.engines.llm.priming import Primer
from lingxi.engines.llm.prompt import apology, chat_messages, reply_language
from lingxi.engines.streams import closing
from lingxi.interfaces import ReplyRequest, Responder, ToolCall
from lingxi.personas import PersonaBook

log = logging.getLogger(__name__)

_UNAVAILABLE = (TimeoutError, httpx.HTTPError, UpstreamError, StopAsyncIteration)


@dataclass(frozen=True, slots=True)
class LlmOptions:
    first_token_s: float = 2.5  # from the request to the first word, connecting included
    retry_after_s: float = 10.0  # after a failure, the companion answers alone this long
    history_turns: int = 12  # messages sent word for word; older ones are summarised
    summary_chars: int = 600
    max_sentences: int | None = None  # the reply ends after this many sentences


_SENTENCE_END = re.compile(r"[。！？!?]+|\.(?=\s)")


class _SentenceCap:
    """Passes tokens through until `limit` sentences have been said."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.said = 0
        self.full = False
        self._dot = False  # the last token ended in "." (a sentence end if a space follows)

    def take(self, token: str) -> str:
        if self.limit is None or self.full:
            return "" if self.full else token
        if self._dot and token[:1].isspace() and self._count():
            return ""
        self._dot = token.endswith(".")
        for end in _SENTENCE_END.finditer(token):
            if self._count():
                return token[:end.end()]
        return token

    def _count(self) -> bool:
        self.said += 1
        self.full = self.limit is not None and self.said >= self.limit
        return self.full


class LlmResponder:
    def __init__(self, chat: ChatClient, book: PersonaBook, fallback: Responder, clock: Clock,
                 options: LlmOptions | None = None, *, tools: bool = True,
                 images: bool = False, primes: bool = False) -> None:
        self.chat = chat
        # A local model server reads the prompt ahead at the caller's pauses (priming.py).
        self._primer = Primer(chat) if primes else None
        self.supports_images = images  # a vision model: the client's images go to it
        # Whether the client's functions go to the model (and its calls come back).
        self.supports_tools = tools
        self.book = book
        self.fallback = fallback
        self.clock = clock
        self.options = options or LlmOptions()
        self.name = f"llm:{chat.config.model}"
        self._down_until = float("-inf")

    def _messages(self, request: ReplyRequest) -> list[dict[str, Any]]:
        return chat_messages(request, self.book, keep=self.options.history_turns,
                             summary_chars=self.options.summary_chars,
                             images=self.supports_images)

    def prime(self, request: ReplyRequest) -> None:
        if self._primer is not None and self.clock.now() >= self._down_until:
            self._primer.start(self._messages(request))

    async def respond(self, request: ReplyRequest) -> AsyncIterator[str | ToolCall]:
        if self.clock.now() < self._down_until:
            async with closing(self.fallback.respond(request)) as words:
                async for text in words:
                    yield text
            return
        messages = self._messages(request)
        if self._primer is not None:
            await self._primer.settled(messages, self.options.first_token_s)
        tools = chat_tools(request.tools) if self.supports_tools else []
        stream = self.chat.stream(messages, tools, chat_tool_choice(request.tool_choice),
                                  Limits(request.max_tokens, request.temperature))
        try:
            try:
                async with asyncio.timeout(self.options.first_token_s):
                    first = await anext(stream)
            except _UNAVAILABLE as exc:
                metrics.engine_failed("model")
                log.warning("language model unavailable (%s); the offline companion answers",
                            type(exc).__name__)
                self._down_until = self.clock.now() + self.options.retry_after_s
                yield apology(request, self.book)
                async with closing(self.fallback.respond(request)) as words:
                    async for text in words:
                        yield text
                return
            self._down_until = float("-inf")
            persona = self.book.get(request.persona)
            words = opening(self._capped(first, stream, bool(tools)), persona,
                             reply_language(request, persona), request.last_user_text)
            async with closing(words) as said:
                async for token in said:
                    yield token
        finally:
            await stream.aclose()  # type: ignore[attr-defined]  # an async generator

    async def _capped(self, first: str | ToolCall, stream: AsyncIterator[str | ToolCall],
                      tools: bool) -> AsyncIterator[str | ToolCall]:
        """The model's words up to the sentence cap, then its calls."""
        cap = _SentenceCap(self.options.max_sentences)
        yield cap.take(first) if isinstance(first, str) else first
        try:
            async for token in stream:
                if isinstance(token, ToolCall):
                    yield token  # calls come after the words: the cap never drops them
                elif not cap.full:
                    yield cap.take(token)
                elif not tools:
                    break  # closing the stream stops the model
        except (httpx.HTTPError, UpstreamError) as exc:
            # What was said stands; the reply just ends early.
            metrics.engine_failed("model")
            log.warning("language model stream broke off (%s)", type(exc).__name__)
