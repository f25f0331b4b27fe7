"""A streaming client for OpenAI-compatible `/v1/chat/completions` (SSE), on httpx.

Works with llama.cpp's server, Ollama, vLLM, LM Studio and cloud APIs of the same shape.
Closing the token stream closes the HTTP response, so the server stops generating.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)


class UpstreamError(Exception):
    """The model server answered, but not with a usable stream."""


@dataclass(frozen=True, slots=True)
class ChatConfig:
    base_url: str  # e.g. http://127.0.0.1:8080/v1 (…/chat/completions is added)
    model: str = "default"
    api_key: str | None = None
    connect_timeout_s: float = 1.0
    read_timeout_s: float = 10.0  # longest silence inside a reply
    retries: int = 1  # extra attempts when the connection itself fails
    retry_backoff_s: float = 0.05
    max_tokens: int = 200
    temperature: float = 0.8

    @property
    def url(self) -> str:
        base = self.base_url.rstrip("/")
        return base if base.endswith("/chat/completions") else base + "/chat/completions"


def _delta_text(data: str) -> str:
    try:
        chunk = json.loads(data)
    except json.JSONDecodeError as exc:
        raise UpstreamError(f"a stream event is not JSON: {exc}") from exc
    if not isinstance(chunk, dict):
        return ""
    if "error" in chunk:
        raise UpstreamError(f"the server reported an error: {str(chunk['error'])[:200]}")
    choices = chunk.get("choices") or []
    if not choices or not isinstance(choices[0], dict):
        return ""
    delta = choices[0].get("delta") or {}
    content = delta.get("content") if isinstance(delta, dict) else None
    return content if isinstance(content, str) else ""


class ChatClient:
    def __init__(self, config: ChatConfig, *, transport: httpx.AsyncBaseTransport | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.config = config
        self._transport = transport
        self._sleep = sleep
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _http(self) -> httpx.AsyncClient:
        # One pooled client per event loop (a worker process has one), so a cloud API's TLS
        # connection is reused from turn to turn.
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            c = self.config
            timeout = httpx.Timeout(connect=c.connect_timeout_s, read=c.read_timeout_s,
                                    write=c.connect_timeout_s, pool=c.connect_timeout_s)
            self._client = httpx.AsyncClient(timeout=timeout, transport=self._transport)
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _body(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        c = self.config
        return {"model": c.model, "messages": messages, "stream": True,
                "max_tokens": c.max_tokens, "temperature": c.temperature}

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "text/event-stream"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        return headers

    async def stream(self, messages: list[dict[str, str]]) -> AsyncIterator[str]:
        """The reply's text as it is generated."""
        for attempt in range(self.config.retries + 1):
            try:
                async for text in self._attempt(messages):
                    yield text
                return
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Nothing was yielded yet: a refused or lost connection is worth a retry.
                if attempt >= self.config.retries:
                    raise
                log.info("model server connection failed (%s); retrying", type(exc).__name__)
                await self._sleep(self.config.retry_backoff_s * (attempt + 1))

    async def _attempt(self, messages: list[dict[str, str]]) -> AsyncIterator[str]:
        request = self._http().stream("POST", self.config.url, json=self._body(messages),
                                      headers=self._headers())
        async with request as response:
            if response.status_code != 200:
                detail = (await response.aread())[:200].decode("utf-8", "replace")
                raise UpstreamError(f"HTTP {response.status_code}: {detail}")
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue  # comments, event names, keep-alives
                data = line[5:].strip()
                if data == "[DONE]":
                    return
                text = _delta_text(data)
                if text:
                    yield text
