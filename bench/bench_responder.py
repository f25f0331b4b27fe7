#!/usr/bin/env python
"""Responder benchmark: from the person's end of turn to the first clause handed to the TTS.

A real Lingxi server runs in this process (uvicorn thread, real WebSocket, the real responder
from `build_responder`, a fake TTS that notes when it is first asked to speak). Each turn is a
text turn (`conversation.item.create` + `response.create`); its end of turn is the moment
`response.create` is sent. Scenarios:

- `companion`: the offline companion (no model configured);
- `model`: an OpenAI-compatible streaming server on loopback (a scripted model: real HTTP + SSE)
  whose first token takes `--first-token-ms` (default 200) and each further one `--token-ms`;
- `model-down`: the model URL refuses connections, so the apology and the companion answer.

Printed: p50/p95/max in ms per scenario (and the transcript's first delta at the client).

Run:  .venv/bin/python bench/bench_responder.py [--turns 40] [--first-token-ms 200]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.chat_server

from tests.chat_server import chat_server, closed_port
from tests.responder.live import calling, live_lingxi

from callbench.stats import fmt, summary, table
from lingxi.config import Settings

LINES = ["你好", "我今天误机了", "真的好累", "现在几点了", "嗯", "讲个故事", "然后呢",
         "I missed my flight", "what time is it", "结婚了没？"]


@contextlib.contextmanager
def scenario(name: str, first_token_ms: float, token_ms: float) -> Iterator[Settings]:
    if name == "companion":
        yield Settings(duties=False)
    elif name == "model-down":
        yield Settings(duties=False, llm_base_url=f"http://127.0.0.1:{closed_port()}/v1",
                       llm_retry_after_s=0)
    else:
        tokens = ["嗯，", "我在", "听", "呢，", "你", "慢慢", "说", "。"]
        with chat_server(tokens=tokens, first_token_delay_s=first_token_ms / 1000,
                         token_delay_s=token_ms / 1000) as server:
            yield Settings(duties=False, llm_base_url=server.base_url)


async def measure(settings: Settings, turns: int) -> tuple[list[float], list[float]]:
    to_tts: list[float] = []
    to_client: list[float] = []
    with live_lingxi(settings) as live:
        async with calling(live) as caller:
            for i in range(turns):
                await caller.send({"type": "conversation.item.create", "item": {
                    "type": "message", "role": "user",
                    "content": [{"type": "input_text", "text": LINES[i % len(LINES)]}]}})
                spoken_before = len(live.tts.spoken)
                t0 = time.monotonic()
                await caller.send({"type": "response.create"})
                await caller.until("response.output_audio_transcript.delta")
                to_client.append(1000 * (time.monotonic() - t0))
                await caller.until("response.done")
                first = live.tts.spoken[spoken_before]
                to_tts.append(1000 * (first.at - t0))
    return to_tts, to_client


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--first-token-ms", type=float, default=200.0)
    parser.add_argument("--token-ms", type=float, default=20.0)
    parser.add_argument("--scenarios", default="companion,model,model-down")
    args = parser.parse_args()
    logging.getLogger("lingxi").setLevel(logging.ERROR)  # the fallback warns on every turn
    rows = []
    for name in args.scenarios.split(","):
        with scenario(name, args.first_token_ms, args.token_ms) as settings:
            to_tts, to_client = await measure(settings, args.turns)
        label = f"model (first token {args.first_token_ms:.0f} ms)" if name == "model" else name
        s, c = summary(to_tts), summary(to_client)
        rows.append([label, str(s["n"]), fmt(s["p50"]), fmt(s["p95"]), fmt(s["max"]),
                     fmt(c["p50"]), fmt(c["p95"])])
    print("end of turn (response.create sent) → first clause handed to TTS, ms")
    print(table(["responder", "n", "tts p50", "tts p95", "tts max", "client p50", "client p95"],
                rows))


if __name__ == "__main__":
    asyncio.run(main())
