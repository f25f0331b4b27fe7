"""Section load, client side: one worker process drives its share of the calls."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import ConnectionClosed, WebSocketException

from callbench.audio import AudioSet
from callbench.client import Call, Resp, Samples, close_calls, open_call, record_barge
from callbench.pacing import sleep_until, start_pacers, stop_pacers, wait_event


@dataclass(frozen=True)
class WorkerArgs:
    url: str
    calls: int
    duration_s: float
    chunk_ms: int
    seed: int
    deflate: bool
    probe: bool
    pacer_groups: int


@dataclass
class WorkerResult:
    samples: Samples
    cpu_s: float
    wall_s: float
    connected: int
    error: str | None = None


async def _await_reply(call: Call, samples: Samples, onset: float, end: float, *,
                       record_onset: bool) -> Resp | None:
    """The reply to speech sent from `onset` to `end`, once its first audio delta is in."""
    resp = await call.next_response(8)
    if resp is None or not await wait_event(resp.first_delta, 8):
        if samples.recording:
            samples.no_reply += 1
        return None
    assert resp.first_delta_at is not None
    if samples.recording:
        samples.turns += 1
        samples.turn_ms.append((resp.first_delta_at - end) * 1000)
        if record_onset and call.speech_started_at is not None:
            samples.barge_ss_ms.append((call.speech_started_at - onset) * 1000)
    return resp


async def _barge_in(call: Call, rng: random.Random, samples: Samples, resp: Resp) -> Resp | None:
    """Speak over `resp`; then listen to the next reply for a while (None: no reply)."""
    call.drain_responses()
    onset, end = await call.speak(rng.uniform(1.2, 1.8))
    if await wait_event(resp.done, 5):
        if samples.recording:
            record_barge(samples, resp, onset, call)
    elif samples.recording:
        samples.barge_missed += 1
    reply = await _await_reply(call, samples, onset, end, record_onset=False)
    if reply is None:
        return None
    assert reply.first_delta_at is not None
    await sleep_until(reply.first_delta_at + rng.uniform(1.0, 2.0))
    return reply


async def load_call(call: Call, rng: random.Random, samples: Samples, stop_at: float) -> None:
    await asyncio.sleep(rng.uniform(0.0, 2.0))
    while time.monotonic() < stop_at and not call.closed:
        call.drain_responses()
        onset, end = await call.speak(rng.uniform(1.2, 1.8))
        resp = await _await_reply(call, samples, onset, end, record_onset=True)
        if resp is None:
            continue
        assert resp.first_delta_at is not None
        await sleep_until(resp.first_delta_at + rng.uniform(1.0, 2.0))
        if rng.random() < 0.5 and not resp.done.is_set():
            # barge in: speak over the reply, then listen to the next one
            resp = await _barge_in(call, rng, samples, resp)
            if resp is None:
                continue
        await wait_event(resp.done, 10)
        await asyncio.sleep(rng.uniform(0.3, 1.0))


async def ping_probe(call: Call, samples: Samples, stop_at: float) -> None:
    while time.monotonic() < stop_at and not call.closed:
        try:
            t = time.monotonic()
            waiter = await call.ws.ping()
            await asyncio.wait_for(waiter, 5)
            if samples.recording:
                samples.ping_ms.append((time.monotonic() - t) * 1000)
        except (TimeoutError, ConnectionClosed):
            pass
        await asyncio.sleep(0.25)


async def _open_calls(args: WorkerArgs, audio: AudioSet, samples: Samples) -> list[Call]:
    """Open the worker's calls, at most 32 handshakes at a time; failures are counted."""
    gate = asyncio.Semaphore(32)

    async def one() -> Call | None:
        async with gate:
            try:
                return await open_call(args.url, audio, samples, deflate=args.deflate)
            except (OSError, WebSocketException, TimeoutError):
                samples.connect_failures += 1
                return None

    opened = await asyncio.gather(*(one() for _ in range(args.calls)))
    return [c for c in opened if c is not None]


async def load_worker_async(args: WorkerArgs, barrier: Any) -> WorkerResult:
    samples = Samples()
    audio = AudioSet(args.chunk_ms)
    calls = await _open_calls(args, audio, samples)
    await asyncio.to_thread(barrier.wait, 300)
    t0, cpu0 = time.monotonic(), time.process_time()
    stop_at = t0 + args.duration_s
    samples.recording = True
    pacers, tasks = start_pacers(calls, args.chunk_ms, samples, groups=args.pacer_groups)
    rng = random.Random(args.seed)
    controllers = [asyncio.create_task(load_call(c, random.Random(rng.random()), samples,
                                                 stop_at)) for c in calls]
    if args.probe and calls:
        controllers.append(asyncio.create_task(ping_probe(calls[0], samples, stop_at)))
    await sleep_until(stop_at)
    samples.recording = False
    wall, cpu = time.monotonic() - t0, time.process_time() - cpu0
    for c in controllers:
        c.cancel()
    await asyncio.gather(*controllers, return_exceptions=True)
    await stop_pacers(pacers, tasks)
    result = WorkerResult(samples, cpu, wall, len(calls))
    await close_calls(calls)
    return result


def load_worker(args: WorkerArgs, barrier: Any, out: Any) -> None:
    try:
        result = asyncio.run(load_worker_async(args, barrier))
    except BaseException as exc:  # report, never hang the parent
        with contextlib.suppress(Exception):
            barrier.abort()
        result = WorkerResult(Samples(), 0.0, 0.0, 0, error=f"{type(exc).__name__}: {exc}")
    out.put(result)
