"""Real-time pacing of the calls' audio, waiting helpers, and a fixed-size run of calls."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable

from callbench.audio import AudioSet
from callbench.client import Call, Samples, close_calls, open_call


class Pacer:
    """Sends one chunk per call per period on a fixed monotonic schedule (no drift)."""

    def __init__(self, calls: list[Call], period_s: float, start: float, samples: Samples) -> None:
        self.calls = calls
        self.period_s = period_s
        self.start = start
        self.samples = samples
        self.stopped = False

    async def run(self) -> None:
        due = self.start
        while not self.stopped:
            now = time.monotonic()
            if due > now:
                await asyncio.sleep(due - now)
                now = time.monotonic()
            if self.samples.recording:
                self.samples.send_late_ms.append((now - due) * 1000)
            for call in self.calls:
                if not call.closed:
                    await call.send_tick()
            due += self.period_s


def start_pacers(calls: list[Call], chunk_ms: int, samples: Samples,
                 groups: int) -> tuple[list[Pacer], list[asyncio.Task[None]]]:
    groups = max(1, min(groups, len(calls)))
    period = chunk_ms / 1000
    t0 = time.monotonic() + 0.05
    pacers = [Pacer(calls[g::groups], period, t0 + g * period / groups, samples)
              for g in range(groups)]
    return pacers, [asyncio.create_task(p.run()) for p in pacers]


async def stop_pacers(pacers: list[Pacer], tasks: list[asyncio.Task[None]]) -> None:
    for p in pacers:
        p.stopped = True
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def wait_event(ev: asyncio.Event, within_s: float) -> bool:
    try:
        await asyncio.wait_for(ev.wait(), within_s)
    except TimeoutError:
        return False
    return True


async def sleep_until(t: float) -> None:
    await asyncio.sleep(max(0.0, t - time.monotonic()))


Scenario = Callable[[Call, int, random.Random, Samples], Awaitable[None]]


async def run_calls(url: str, calls_n: int, turns: int, chunk_ms: int, seed: int,
                    deflate: bool, scenario: Scenario) -> Samples:
    """Open `calls_n` paced calls, share `turns` between them, run `scenario` on each."""
    samples = Samples()
    audio = AudioSet(chunk_ms)
    calls = [await open_call(url, audio, samples, deflate=deflate) for _ in range(calls_n)]
    pacers, tasks = start_pacers(calls, chunk_ms, samples, groups=len(calls))
    samples.recording = True
    per_call = [turns // calls_n + (1 if i < turns % calls_n else 0) for i in range(calls_n)]
    await asyncio.gather(*(scenario(c, n, random.Random(seed + i), samples)
                           for i, (c, n) in enumerate(zip(calls, per_call, strict=True))))
    samples.recording = False
    await stop_pacers(pacers, tasks)
    await close_calls(calls)
    return samples
