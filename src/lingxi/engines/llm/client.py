"""A streaming client for OpenAI-compatible `/v1/chat/completions` (SSE), on httpx.

Works with llama.cpp's server, Ollama, vLLM, LM Studio and cloud APIs of the same shape.
Closing the token stream closes the HTTP response, so the server stops generating.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from lingxi.interfaces import ToolCall

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


def _chunk(data: str) -> dict[str, Any]:
    try:
        chunk = json.loads(data)
    except json.JSONDecodeError as exc:
        raise UpstreamError(f"a stream event is not JSON: {exc}") from exc
    return chunk if isinstance(chunk, dict) else {}


def _log_timings(chunk: dict[str, Any]) -> None:
    """llama.cpp's own account of a reply (its last event carries `timings`): how much of the
    prompt it had to read and how much came from its cache, which decides the first token."""
    t = chunk.get("timings")
    if not isinstance(t, dict):
        return
    with contextlib.suppress(TypeError, ValueError):
        log.info("model read %d prompt tokens (%d from cache) in %.0f ms; %d tokens at %.1f/s",
                 int(t.get("prompt_n", 0)), int(t.get("cache_n", 0)),
                 float(t.get("prompt_ms", 0.0)), int(t.get("predicted_n", 0)),
                 float(t.get("predicted_per_second", 0.0)))


def _delta(chunk: dict[str, Any]) -> dict[str, Any]:
    """The `delta` of a stream event ({} when it carries none)."""
    if "error" in chunk:
        raise UpstreamError(f"the server reported an error: {str(chunk['error'])[:200]}")
    choices = chunk.get("choices") or []
    if not choices or not isinstance(choices[0], dict):
        return {}
    delta = choices[0].get("delta") or {}
    return delta if isinstance(delta, dict) else {}


class _ToolCalls:
    """Tool calls as they stream: each arrives in pieces under its `index` (the id and name
    first, the arguments' JSON text in fragments), complete only when the stream ends."""

    def __init__(self) -> None:
        self._calls: dict[int, dict[str, str]] = {}

    def add(self, pieces: Any) -> None:
        for piece in pieces if isinstance(pieces, list) else []:
            if not isinstance(piece, dict):
                continue
            index = piece.get("index", len(self._calls))
            call = self._calls.setdefault(index if isinstance(index, int) else 0,
                                          {"id": "", "name": "", "arguments": ""})
            function = piece.get("function")
            function = function if isinstance(function, dict) else {}
            if isinstance(piece.get("id"), str):
                call["id"] = piece["id"]
            if isinstance(function.get("name"), str):
                call["name"] += function["name"]
            if isinstance(function.get("arguments"), str):
                call["arguments"] += function["arguments"]

    def done(self) -> list[ToolCall]:
        return [ToolCall(c["id"], c["name"], c["arguments"] or "{}")
                for _, c in sorted(self._calls.items()) if c["name"]]


def chat_tools(tools: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    """Realtime function tools (flat) as chat-completions tools (nested under `function`)."""
    out = []
    for tool in tools:
        if tool.get("type", "function") != "function" or not tool.get("name"):
            continue  # MCP and other hosted tools are the service's own; none run here
        function = {k: tool[k] for k in ("name", "description", "parameters") if k in tool}
        out.append({"type": "function", "function": function})
    return out


def chat_tool_choice(choice: str | dict[str, Any]) -> str | dict[str, Any]:
    if isinstance(choice, dict) and choice.get("name"):
        return {"type": "function", "function": {"name": choice["name"]}}
    return choice


@dataclass(frozen=True, slots=True)
class Limits:
    """One request's own cap on tokens and sampling temperature (None: the config's)."""

    max_tokens: int | None = None
    temperature: float | None = None


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

    def _body(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
              tool_choice: str | dict[str, Any], limits: Limits) -> dict[str, Any]:
        c = self.config
        max_tokens = c.max_tokens if limits.max_tokens is None else min(c.max_tokens,
                                                                          limits.max_tokens)
        temperature = c.temperature if limits.temperature is None else limits.temperature
        body: dict[str, Any] = {"model": c.model, "messages": messages, "stream": True,
                                "max_tokens": max_tokens, "temperature": temperature}
        if tools:
            body["tools"] = tools
            body["tool_choice"] = tool_choice
        return body

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "text/event-stream"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        return headers

    async def stream(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None,
        tool_choice: str | dict[str, Any] = "auto", limits: Limits | None = None,
    ) -> AsyncIterator[str | ToolCall]:
        """The reply's text as it is generated, then the tools it calls, if any."""
        for attempt in range(self.config.retries + 1):
            try:
                async for text in self._attempt(messages, tools or [], tool_choice,
                                                limits or Limits()):
                    yield text
                return
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Nothing was yielded yet: a refused or lost connection is worth a retry.
                if attempt >= self.config.retries:
                    raise
                log.info("model server connection failed (%s); retrying", type(exc).__name__)
                await self._sleep(self.config.retry_backoff_s * (attempt + 1))

    async def complete(self, messages: list[dict[str, Any]],
                       limits: Limits | None = None) -> str:
        """The whole reply's text at once (a short answer, such as a classification)."""
        return "".join([piece async for piece in self.stream(messages, limits=limits)
                        if isinstance(piece, str)])

    async def _attempt(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
        tool_choice: str | dict[str, Any], limits: Limits,
    ) -> AsyncIterator[str | ToolCall]:
        body = self._body(messages, tools, tool_choice, limits)
        request = self._http().stream("POST", self.config.url, json=body,
                                      headers=self._headers())
        calls = _ToolCalls()
        async with request as response:
            if response.status_code != 200:
                detail = (await response.aread())[:200].decode("utf-8", "replace")
                raise UpstreamError(f"HTTP {response.status_code}: {detail}")
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue  # comments, event names, keep-alives
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                chunk = _chunk(data)
                _log_timings(chunk)
                delta = _delta(chunk)
                calls.add(delta.get("tool_calls"))
                text = delta.get("content")
                if isinstance(text, str) and text:
                    yield text
        for call in calls.done():
            yield call
