#!/usr/bin/env python
"""One abusive client beside a normal one: does the normal call notice?

A real `lingxi serve` (fake engines, energy VAD) serves a normal call that streams real-time
audio and asks for a spoken reply every 2.5 s, while one abuser does its worst:

  none       nobody (the baseline)
  flood      events as fast as a socket takes them (input_audio_buffer.clear), never reading
  nonreader  invalid events forever, never reading a single answer (the error queue)
  bigaudio   60 s of audio per append, as fast as it can
  items      20,000-character text items, as fast as it can, never reading

For the normal call it reports the gaps between its reply's audio deltas (paced at 100 ms, so
anything much above that is a stall the caller hears) and the server's event lag (p99, from
/metrics), and the server's resident memory at the end.

Run:  .venv/bin/python bench/bench_abuse.py [--seconds 15] [--only flood,items]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import time
from typing import Any

import websockets

from callbench.metrics import histogram_delta, histogram_quantile_ms
from callbench.server import ServerProcess, machine_facts
from callbench.stats import fmt, summary

SERVER_ENV = {"LINGXI_ENGINES": "fake", "LINGXI_DUTIES": "false", "LINGXI_MEMORY": "false",
              "LINGXI_LLM": "off"}
CHUNK_MS = 40
SILENCE = base64.b64encode(b"\0\0" * (24000 * CHUNK_MS // 1000)).decode()
ASK = json.dumps({"type": "conversation.item.create", "item": {
    "type": "message", "role": "user",
    "content": [{"type": "input_text", "text": "给我讲讲今天的天气和心情吧"}]}})


async def normal_call(url: str, seconds: float) -> list[float]:
    """Gaps (ms) between consecutive audio deltas of each reply."""
    gaps: list[float] = []
    last: dict[str, float] = {}
    async with websockets.connect(url, max_size=None) as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "session.update", "session": {
            "audio": {"input": {"turn_detection": None}}}}))

        async def read() -> None:
            async for raw in ws:
                event = json.loads(raw)
                if event["type"] == "response.output_audio.delta":
                    now = time.monotonic()
                    rid = event["response_id"]
                    if rid in last:
                        gaps.append(1000 * (now - last[rid]))
                    last[rid] = now

        reader = asyncio.create_task(read())
        end = time.monotonic() + seconds
        next_ask = time.monotonic()
        while time.monotonic() < end:
            await ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": SILENCE}))
            if time.monotonic() >= next_ask:
                with contextlib.suppress(Exception):
                    await ws.send(json.dumps({"type": "response.cancel"}))
                await ws.send(ASK)
                await ws.send(json.dumps({"type": "response.create"}))
                next_ask += 2.5
            await asyncio.sleep(CHUNK_MS / 1000)
        reader.cancel()
    return gaps


async def abuser(url: str, kind: str, seconds: float) -> None:
    if kind == "none":
        return
    end = time.monotonic() + seconds
    big = base64.b64encode(b"\1\0" * (24000 * 60)).decode()
    with contextlib.suppress(Exception):
        async with websockets.connect(url, max_size=None, max_queue=1) as ws:
            while time.monotonic() < end:
                if kind == "flood":
                    message = '{"type": "input_audio_buffer.clear"}'
                elif kind == "nonreader":
                    message = '{"type": "no.such.event", "junk": "' + "x" * 1000 + '"}'
                elif kind == "bigaudio":
                    message = '{"type": "input_audio_buffer.append", "audio": "' + big + '"}'
                else:
                    message = json.dumps({"type": "conversation.item.create", "item": {
                        "type": "message", "role": "user",
                        "content": [{"type": "input_text", "text": "字" * 20_000}]}})
                await ws.send(message)
                await asyncio.sleep(0)


async def scenario(srv: ServerProcess, kind: str, seconds: float) -> dict[str, Any]:
    before = srv.scrape()
    gaps, _ = await asyncio.wait_for(asyncio.gather(
        normal_call(srv.ws_url, seconds), abuser(srv.ws_url, kind, seconds)), seconds + 30)
    lag = histogram_delta(before, srv.scrape(), "lingxi_event_lag_seconds")
    return {"abuser": kind, "gaps_ms": summary(gaps),
            "event_lag_p99_ms": histogram_quantile_ms(lag, 0.99), "rss_mb": srv.rss_mb()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=15.0)
    p.add_argument("--only", default="none,flood,nonreader,bigaudio,items")
    args = p.parse_args()
    print(json.dumps(machine_facts()))
    heads = ("gap p50", "gap p99", "gap max", "lag p99")
    print(f"{'abuser':<10} " + " ".join(f"{h:>8}" for h in heads) + f" {'RSS MB':>7}")
    for kind in args.only.split(","):
        with ServerProcess(SERVER_ENV) as srv:
            r = asyncio.run(scenario(srv, kind, args.seconds))
        g = r["gaps_ms"]
        print(f"{kind:<10} {fmt(g.get('p50')):>8} {fmt(g.get('p99')):>8} {fmt(g.get('max')):>8} "
              f"{fmt(r['event_lag_p99_ms']):>8} {r['rss_mb']:>7.0f}", flush=True)


if __name__ == "__main__":
    main()
