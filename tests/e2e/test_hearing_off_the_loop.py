"""A caller's audio is heard off the event loop when hearing it is costly (a long append, or
any audio to denoise): while one call's audio is in the VAD, every other call is answered.

The VAD here is the energy detector, watched: it notes the thread each frame is heard on and
can hold a frame until the test lets it go, standing in for a slow model. Held on the event
loop, nothing else on the server would move until it was let go."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import websockets

from lingxi.audio import Pcm
from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad, EnergyVadStream
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS, SpeechScript
from lingxi.interfaces import Engines
from lingxi.transport.app import create_app
from tests.e2e.conftest import serve_app

URL = "ws://127.0.0.1:{port}/v1/realtime"
RATE = 24_000


class WatchedVad:
    name = "watched-energy"

    def __init__(self, *, hold_first: bool) -> None:
        self._inner = EnergyVad()
        self.sample_rate, self.frame_samples = self._inner.sample_rate, self._inner.frame_samples
        self.threads: list[str] = []
        self.holding = threading.Event()  # set once a frame is being held
        self.release = threading.Event()
        if not hold_first:
            self.holding.set()
            self.release.set()

    def stream(self) -> _WatchedStream:
        return _WatchedStream(self, self._inner.stream())


class _WatchedStream:
    def __init__(self, vad: WatchedVad, inner: EnergyVadStream) -> None:
        self._vad, self._inner = vad, inner

    def probability(self, frame: Pcm) -> float:
        self._vad.threads.append(threading.current_thread().name)
        if not self._vad.holding.is_set():
            self._vad.holding.set()
            self._vad.release.wait(60)
        return self._inner.probability(frame)


@contextmanager
def _server(vad: WatchedVad) -> Iterator[int]:
    clock = MonotonicClock()
    engines = Engines(vad=vad, asr=FakeASR(clock, SpeechScript()),
                      responder=FakeResponder(clock, replies=["嗯。"]), tts=FakeTTS(clock))
    errors: list[logging.LogRecord] = []
    try:
        with serve_app(create_app(Settings(duties=False), engines=engines, clock=clock),
                       errors) as port:
            yield port
    finally:
        vad.release.set()  # never leave the server's thread waiting
    assert not errors, errors


def _append(seconds: float) -> str:
    tone = (3000 * np.sin(np.arange(int(RATE * seconds)) * 2 * np.pi * 220 / RATE))
    audio = base64.b64encode(tone.astype("<i2").tobytes()).decode()
    return json.dumps({"type": "input_audio_buffer.append", "audio": audio})


async def _updated(ws: Any, session: dict[str, Any]) -> None:
    """A session.update answered: every message sent before it has been handled."""
    await ws.send(json.dumps({"type": "session.update", "session": session}))
    while (event := json.loads(await ws.recv()))["type"] != "session.updated":
        assert event["type"] != "error", event


async def test_while_one_call_s_long_append_is_heard_another_call_is_answered() -> None:
    vad = WatchedVad(hold_first=True)
    with _server(vad) as port:
        async with websockets.connect(URL.format(port=port)) as first:
            await first.recv()  # session.created
            await first.send(_append(5.0))
            assert await asyncio.to_thread(vad.holding.wait, 30)
            # The first call's audio is held in the VAD. A second call opens and is answered.
            async with websockets.connect(URL.format(port=port)) as second:
                created = json.loads(await asyncio.wait_for(second.recv(), 30))
                assert created["type"] == "session.created"
                await asyncio.wait_for(_updated(second, {"instructions": "hi"}), 30)
            vad.release.set()
            await asyncio.wait_for(_updated(first, {"instructions": "hi"}), 30)
    assert len(vad.threads) >= 150  # every 32 ms frame of the 5 s was heard
    assert all(name.startswith("lingxi-hear") for name in vad.threads), set(vad.threads)


async def test_with_noise_reduction_even_short_appends_are_heard_off_the_loop() -> None:
    vad = WatchedVad(hold_first=False)
    with _server(vad) as port:
        async with websockets.connect(URL.format(port=port)) as ws:
            await ws.recv()
            await _updated(ws, {"type": "realtime", "audio": {"input": {
                "noise_reduction": {"type": "near_field"}}}})
            for _ in range(10):
                await ws.send(_append(0.05))  # real-time chunks of 50 ms
            await _updated(ws, {"instructions": "hi"})
            heard_denoised = len(vad.threads)
            await _updated(ws, {"type": "realtime", "audio": {"input": {
                "noise_reduction": None}}})
            for _ in range(10):
                await ws.send(_append(0.05))
            await _updated(ws, {"instructions": "hi"})
    assert heard_denoised >= 10  # 0.5 s at 32 ms a frame (less the denoiser's 10 ms)
    assert all(n.startswith("lingxi-hear") for n in vad.threads[:heard_denoised])
    # Without denoising, short chunks cost the loop less than a hop to a thread would.
    assert not any(n.startswith("lingxi-hear") for n in vad.threads[heard_denoised:])
