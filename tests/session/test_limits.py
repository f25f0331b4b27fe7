"""One connection cannot flood the server: events and audio beyond a human pace are dropped
with a clear error (at most once a second), the call lives on, and the pace recovers."""

from __future__ import annotations

import base64

import pytest

from tests.harness import CallHarness


def _silence_b64(seconds: float, rate: int = 24000) -> str:
    return base64.b64encode(b"\0\0" * int(seconds * rate)).decode()


async def test_an_event_flood_is_dropped_with_one_error_a_second_and_recovers() -> None:
    async with CallHarness() as h:
        for _ in range(1200):
            await h.send({"type": "input_audio_buffer.clear"})
        limited = [e for e in h.errors() if e["code"] == "rate_limit_exceeded"]
        cleared = len(h.of("input_audio_buffer.cleared"))
        await h.wait(2.0)
        await h.send({"type": "input_audio_buffer.clear"})
        h.assert_alive()
    assert len(limited) == 1  # told once, not 700 times
    assert 450 <= cleared <= 520  # the burst was served, the rest dropped
    assert len(h.of("input_audio_buffer.cleared")) == cleared + 1  # and the pace came back


async def test_audio_faster_than_real_time_is_refused_beyond_the_burst() -> None:
    async with CallHarness() as h:
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": None}}}})
        for _ in range(8):  # 80 s of audio at once: 20 s are allowed
            await h.send({"type": "input_audio_buffer.append", "audio": _silence_b64(10)})
        buffered = h.call.input.buffered_ms
        await h.wait(10.0)  # 10 s later, 15 s more may come
        await h.send({"type": "input_audio_buffer.append", "audio": _silence_b64(10)})
        h.assert_alive()
    assert [e["code"] for e in h.errors()] == ["rate_limit_exceeded"]
    # (The resampler to the recogniser's rate holds back a few milliseconds.)
    assert buffered == pytest.approx(20_000, abs=100)
    assert h.call.input.buffered_ms == pytest.approx(30_000, abs=100)


async def test_a_client_that_keeps_flooding_is_closed() -> None:
    async with CallHarness() as h:
        for _ in range(4000):
            await h.send({"type": "input_audio_buffer.clear"})
        assert h._task is not None and h._task.done()  # the call ended
    assert h.call.close_code == 1008
