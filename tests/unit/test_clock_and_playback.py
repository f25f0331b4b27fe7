from __future__ import annotations

import asyncio

import pytest

from lingxi.clock import VirtualClock
from lingxi.session.playback import PlaybackEstimate


async def test_virtual_clock_wakes_sleepers_in_order_at_their_instant() -> None:
    clock = VirtualClock()
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append((name, clock.now()))

    tasks = [asyncio.create_task(sleeper("b", 0.2)), asyncio.create_task(sleeper("a", 0.1))]
    await clock.advance(0.15)
    assert woke == [("a", 0.1)]
    await clock.advance(1.0)
    assert woke == [("a", 0.1), ("b", 0.2)] and clock.now() == 1.15
    await asyncio.gather(*tasks)


def test_pacing_runs_a_lead_ahead_of_real_time() -> None:
    p = PlaybackEstimate(lead_s=0.4)
    assert p.send_deadline() is None
    p.on_queued(10.0, 100)
    p.on_queued(10.0, 100)
    # The next chunk is due 400 ms before its playback position (200 ms after start).
    assert p.send_deadline() == pytest.approx(10.0 + 0.2 - 0.4)
    p.on_queued(11.0, 100)  # the engines fell behind: pace from now
    assert p.send_deadline() == pytest.approx(11.1 - 0.4)


def test_what_was_heard_follows_delivery_and_underruns() -> None:
    p = PlaybackEstimate(lead_s=0.4)
    p.on_sent(10.0, 100)
    p.on_sent(10.0, 100)
    assert p.played_ms(10.05) == pytest.approx(50)
    assert p.played_ms(11.0) == pytest.approx(200)  # cannot have heard more than arrived
    # The stream ran dry from 10.2 s to 11.0 s: playback resumes with the new chunk.
    p.on_sent(11.0, 100)
    assert p.played_ms(11.05) == pytest.approx(250)
    assert p.ends_at() == pytest.approx(11.1)
    assert not p.playing(11.2)
