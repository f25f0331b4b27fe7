"""Section barge: speech onset → speech_started, → last delta of the cancelled reply, → done."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import time
from typing import Any

from websockets.exceptions import ConnectionClosed

from callbench.client import Call, Samples, record_barge
from callbench.pacing import run_calls, sleep_until, wait_event
from callbench.server import ServerProcess, engine_env
from callbench.stats import fmt, pct, stat_row, summary, table


async def barge_call(call: Call, turns: int, rng: random.Random, samples: Samples) -> None:
    await asyncio.sleep(rng.uniform(0.1, 0.6))
    call.drain_responses()
    await call.speak(1.0)
    resp = await call.next_response(5)
    for _ in range(turns):
        if resp is None or not await wait_event(resp.first_delta, 5):
            samples.no_reply += 1
            return
        assert resp.first_delta_at is not None
        await sleep_until(resp.first_delta_at + rng.uniform(0.6, 0.9))
        call.drain_responses()
        onset, _end = await call.speak(rng.uniform(0.8, 1.1))
        if not await wait_event(resp.done, 5):
            samples.barge_missed += 1
        else:
            record_barge(samples, resp, onset, call)
        samples.turns += 1
        resp = await call.next_response(5)
    if resp is not None:  # let the last reply go (cancel it so the call ends quietly)
        with contextlib.suppress(ConnectionClosed):
            await call.ws.send(json.dumps({"type": "response.cancel"}))


async def run_barge_async(url: str, calls_n: int, turns: int, chunk_ms: int, seed: int,
                          deflate: bool) -> Samples:
    return await run_calls(url, calls_n, turns, chunk_ms, seed, deflate, barge_call)


def section_barge(args: argparse.Namespace) -> dict[str, Any]:
    env = engine_env(args.asr_delay, args.first_token_delay, args.tts_delay)
    cpu0 = time.process_time()
    t0 = time.monotonic()
    with ServerProcess(env, profile_out=args.profile_server) as srv:
        srv_cpu0 = srv.cpu_seconds()
        s = asyncio.run(run_barge_async(srv.ws_url, args.barge_calls, args.barge_turns,
                                        args.chunk_ms, args.seed, args.deflate))
        srv_cpu = srv.cpu_seconds() - srv_cpu0
    wall = time.monotonic() - t0
    _print_barge(args, s, cpu0=cpu0, wall=wall, srv_cpu=srv_cpu)
    return {"samples": {k: summary(getattr(s, k)) for k in (
        "barge_ss_ms", "barge_last_delta_ms", "barge_done_ms", "barge_queued_ms",
        "send_late_ms")}, "missed": s.barge_missed, "no_reply": s.no_reply, "errors": s.errors,
        "raw": {"speech_started_ms": s.barge_ss_ms, "last_delta_ms": s.barge_last_delta_ms,
                "done_ms": s.barge_done_ms}}


def _print_barge(args: argparse.Namespace, s: Samples, *, cpu0: float, wall: float,
                 srv_cpu: float) -> None:
    print(f"\n## Barge-in latency ({len(s.barge_done_ms)} barge-ins over {args.barge_calls} "
          f"calls; {args.chunk_ms} ms appends; VAD 32 ms frames, min speech 64 ms; onset "
          "600-900 ms after the reply's first audio delta)")
    headers = ["from speech onset to … (ms)", "n", "p50", "p95", "p99", "max"]
    print(table(headers, [
        stat_row("input_audio_buffer.speech_started", s.barge_ss_ms),
        stat_row("last audio delta of the cancelled reply (≥0)", s.barge_last_delta_ms),
        stat_row("response.done (status cancelled)", s.barge_done_ms),
        stat_row("[client-held unplayed reply audio at done]", s.barge_queued_ms),
    ]))
    print(f"missed (reply not cancelled): {s.barge_missed}; no reply: {s.no_reply}; "
          f"errors: {s.errors or 0}; client pacing lateness p99 "
          f"{fmt(pct(s.send_late_ms, 99))} ms; client CPU "
          f"{fmt(100 * (time.process_time() - cpu0) / wall)} %, server CPU "
          f"{fmt(100 * srv_cpu / wall)} %")
