#!/usr/bin/env python
"""What a voice framework adds to a text turn: from the app asking for a reply to the first
reply audio the app receives, through a plain WebSocket client (the baseline), pipecat's
`OpenAIRealtimeLLMService` in a pipeline and LiveKit's `RealtimeSession`.

One Lingxi server in this process (uvicorn thread, fake engines: the responder answers at once
and FakeTTS speaks 80 ms a character). Each sample is the first text turn of a fresh session,
once the session is ready (pipecat puts text into the conversation it sets up on its first
context; an `LLMMessagesAppendFrame` queued later, through the aggregator pair, got no reply
here). A turn starts when the app hands over the user's words (pipecat: `LLMRunFrame` on a
context holding them; LiveKit: `update_chat_ctx` + `generate_reply`; baseline:
`conversation.item.create` + `response.create`) and ends at the first audio the framework
delivers (pipecat: a `TTSAudioRawFrame` after the service; LiveKit: the first frame of the
message's audio stream). Printed: p50/p95/max in ms, and each framework's p50 over the
baseline's, measured in the same run.

Run:  .venv/bin/python bench/bench_frameworks.py [--turns 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.*

import websockets
from livekit.plugins.openai.realtime import RealtimeModel
from loguru import logger as loguru_logger
from pipecat.frames.frames import LLMRunFrame, TTSAudioRawFrame
from pipecat.processors.aggregators.llm_context import LLMContext
from pipecat.services.openai.realtime import events as pipecat_events
from tests.e2e.conftest import serving
from tests.e2e.framework_drivers import (
    PipecatCall,
    livekit_call,
    pipecat_call,
    until,
)

from callbench.stats import fmt, pct, stat_row, table
from lingxi.engines.fake import SpeechScript

REPLY = "Yes, I hear you."
ASK = "Are you there?"


def session_ready(raw: list[dict[str, Any]]) -> bool:
    return any(e["type"] == "session.updated" for e in raw)


async def baseline(port: int) -> float:
    async with websockets.connect(f"ws://127.0.0.1:{port}/v1/realtime?model=bench") as ws:
        await ws.recv()  # session.created: ready
        t0 = time.monotonic()
        await ws.send(json.dumps({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user",
            "content": [{"type": "input_text", "text": ASK}]}}))
        await ws.send(json.dumps({"type": "response.create"}))
        first = None
        while True:
            event = json.loads(await ws.recv())
            if first is None and event["type"] == "response.output_audio.delta":
                first = time.monotonic() - t0
            if event["type"] == "response.done":
                break
    assert first is not None
    return first * 1000


def first_audio(call: PipecatCall) -> float | None:
    """When the first audio frame reached the app."""
    return next((at for f, at in zip(call.output.frames, call.output.arrived, strict=True)
                 if isinstance(f, TTSAudioRawFrame)), None)


async def pipecat(port: int) -> float:
    raw: list[dict[str, Any]] = []
    context = LLMContext(messages=[{"role": "user", "content": ASK}])
    with patched_parse(raw):
        async with pipecat_call(port, context, raw) as call:
            await until(lambda: session_ready(raw), 10, "the session")
            t0 = time.monotonic()
            await call.worker.queue_frame(LLMRunFrame())
            await until(lambda: first_audio(call) is not None, 10, "the audio")
            heard = first_audio(call) or t0
            await until(lambda: len(context.get_messages()) == 2, 10, "the end of the reply")
    return (heard - t0) * 1000


@contextlib.contextmanager
def patched_parse(into: list[dict[str, Any]]) -> Iterator[None]:
    """Keep the server events pipecat parses (the session's readiness is among them)."""
    parse: Callable[[str], Any] = pipecat_events.parse_server_event  # untyped upstream

    def tap(message: str) -> Any:
        into.append(json.loads(message))
        return parse(message)

    pipecat_events.parse_server_event = tap
    try:
        yield
    finally:
        pipecat_events.parse_server_event = parse


async def livekit(port: int) -> float:
    model = RealtimeModel(base_url=f"http://127.0.0.1:{port}/v1", api_key="bench",
                          model="bench")
    async with livekit_call(model.session()) as call:
        await until(lambda: session_ready(call.raw), 10, "the session")
        t0 = time.monotonic()
        context = call.session.chat_ctx.copy()
        context.add_message(role="user", content=ASK)
        await call.session.update_chat_ctx(context)
        await asyncio.wait_for(call.session.generate_reply(), 5)
        await until(lambda: any(h.samples for h in call.heard.values()), 10, "the audio")
        started = next(h.started for h in call.heard.values() if h.samples)
        await until(lambda: not call.tasks, 10, "the end of the reply")
    await model.aclose()
    assert call.errors == [], call.errors
    return (started - t0) * 1000


async def main(turns: int) -> None:
    results: dict[str, list[float]] = {}
    with serving(SpeechScript(), [REPLY]) as server:
        for name, client in (("plain WebSocket", baseline), ("pipecat 1.14", pipecat),
                             ("LiveKit 1.8", livekit)):
            results[name] = [await client(server.port) for _ in range(turns)]
    base = pct(results["plain WebSocket"], 50) or 1.0
    rows = [stat_row(name, values, p99=False) for name, values in results.items()]
    print(table(["client", "n", "p50 ms", "p95 ms", "max ms"], rows))
    for name, values in results.items():
        p50 = pct(values, 50) or 0.0
        print(f"{name}: p50 {fmt(p50)} ms = {fmt(p50 / base, 2)}x the plain client")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=20, help="sessions per client")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    loguru_logger.remove()
    loguru_logger.add(sys.stderr, level="ERROR")
    asyncio.run(main(args.turns))
