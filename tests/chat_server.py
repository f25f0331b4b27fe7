"""A real OpenAI-compatible chat server for tests and benches: a scripted model (no model at
all) behind real HTTP + SSE on a loopback port, so the client code under test is the real one.

It streams `tokens` after `first_token_delay_s`, one every `token_delay_s`, and records each
request and how each stream ended ("completed" or "disconnected": the client went away).
With `tool_calls`, it says `preamble` and calls those tools, as real models do (the id and
name first, the arguments in fragments), unless the request ends with a tool's output: then it
answers with `tokens`. With `hold_after`, it stops after that many tokens until `release` is
set (an event another part of the test sets), so a test can say "the model is mid-reply until
X happened" without timing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn

ASGIMessage = dict[str, Any]
_HOLD_S = 30.0


@dataclass
class ChatServer:
    tokens: list[str] = field(default_factory=lambda: ["你好", "，", "我在", "呢", "。"])
    first_token_delay_s: float = 0.0
    token_delay_s: float = 0.0
    status: int = 200
    port: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    finished_before: list[int] = field(default_factory=list)  # per request: replies done then
    hold_after: int | None = None
    release: threading.Event = field(default_factory=threading.Event)
    holds: list[str] = field(default_factory=list)  # "released" or "timed out", per hold
    tool_calls: list[dict[str, str]] = field(default_factory=list)  # {"name", "arguments"}
    preamble: list[str] = field(default_factory=list)  # said before the tool calls

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def __call__(self, scope: ASGIMessage, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if scope["path"] != "/v1/chat/completions":
            await _plain(send, 404, b"not found")
            return
        self.requests.append(json.loads(body))
        self.finished_before.append(len(self.outcomes))
        if self.status != 200:
            await _plain(send, self.status, b'{"error": "scripted failure"}')
            return
        gone = asyncio.Event()

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        watcher = asyncio.create_task(watch())
        messages = self.requests[-1].get("messages") or [{}]
        # Tools are called only when the request offers some, and not right after an output.
        offered = bool(self.requests[-1].get("tools"))
        calls = self.tool_calls if offered and messages[-1].get("role") != "tool" else []
        try:
            await self._stream(send, gone, calls)
        finally:
            watcher.cancel()

    async def _stream(self, send: Any, gone: asyncio.Event,
                      calls: list[dict[str, str]]) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")]})
        for i, token in enumerate(self.preamble if calls else self.tokens):
            if i == self.hold_after:
                # A hang guard, not a timing: a correct client releases it within moments.
                released = await asyncio.to_thread(self.release.wait, _HOLD_S)
                self.holds.append("released" if released else "timed out")
            delay = self.first_token_delay_s if i == 0 else self.token_delay_s
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(gone.wait(), delay)
            if gone.is_set():
                self.outcomes.append("disconnected")
                return
            await _event(send, {"content": token})
        for index, call in enumerate(calls):
            args, call_id = call["arguments"], f"call_{len(self.requests)}_{index}"
            await _event(send, {"tool_calls": [{
                "index": index, "id": call_id, "type": "function",
                "function": {"name": call["name"], "arguments": ""}}]})
            for piece in (args[:len(args) // 2], args[len(args) // 2:]):
                await _event(send, {"tool_calls": [{"index": index,
                                                    "function": {"arguments": piece}}]})
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n",
                    "more_body": False})
        self.outcomes.append("completed")


async def _event(send: Any, delta: dict[str, Any]) -> None:
    chunk = {"choices": [{"index": 0, "delta": delta}]}
    event = f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()
    await send({"type": "http.response.body", "body": event, "more_body": True})


async def _plain(send: Any, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


@contextlib.contextmanager
def serve_asgi(app: Any) -> Iterator[int]:
    """Serve an ASGI app on a free loopback port in its own thread; yields the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="off",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])),
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield int(sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextlib.contextmanager
def chat_server(**options: Any) -> Iterator[ChatServer]:
    server = ChatServer(**options)
    with serve_asgi(server) as port:
        server.port = port
        yield server


def closed_port() -> int:
    """A loopback port nobody listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
