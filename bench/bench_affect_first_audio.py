"""Does listening for affect delay a reply's first audio? Two servers in one process, the same
but for LINGXI_AFFECT, each answering spoken turns (espeak-ng speech streamed in real time);
turns alternate between them, so both see the same load. Reports end of speech → first audio
delta, p50/p95, for each, and how many turns' voices were heard before their words arrived.

    .venv/bin/python bench/bench_affect_first_audio.py [--turns 12] [--asr-delay 0.0]
        [--vary model]   # the same, but the two differ in LINGXI_AFFECT_MODEL (affect on in both)

The recogniser is the fake (its delay set by --asr-delay; 0 is the worst case for affect: the
words arrive at once, before the voice could have been heard); the responder and voice are
fakes too, so what differs is the affect work alone.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import soxr
import websockets
from tests.affect.speech import SENTENCES, SPEAKERS, espeak
from tests.chat_server import serve_asgi

from lingxi import metrics
from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS
from lingxi.interfaces import Engines
from lingxi.transport.app import create_app

WIRE = 24_000
CHUNK_MS = 20


@contextlib.contextmanager
def server(affect: bool, asr_delay: float, vary: str = "affect") -> Iterator[int]:
    clock = MonotonicClock()
    engines = Engines(vad=EnergyVad(), asr=FakeASR(clock, final_delay_s=asr_delay),
                      responder=FakeResponder(clock, replies=["好的，我在听。"]),
                      tts=FakeTTS(clock))
    settings = (Settings(duties=False, memory=False, affect=affect) if vary == "affect" else
                Settings(duties=False, memory=False, affect=True, affect_model=affect))
    with serve_asgi(create_app(settings, engines=engines, clock=clock)) as port:
        yield port


def speech() -> list[np.ndarray]:
    speaker = next(s for s in SPEAKERS if s.voice == "en-us+m3")
    out = []
    for text in SENTENCES["en"]:
        pcm = espeak(text, speaker.voice, "neutral").astype(np.float32)
        out.append(np.asarray(soxr.resample(pcm, 16_000, WIRE), np.float32).astype(np.int16))
    return out


async def one_turn(ws: websockets.ClientConnection, pcm: np.ndarray) -> float | None:
    step = WIRE * CHUNK_MS // 1000
    silence = np.zeros(step, np.int16)
    start = time.perf_counter()
    chunks = [pcm[i:i + step] for i in range(0, len(pcm), step)] + [silence] * 60
    end_of_speech = None
    first: float | None = None
    for i, chunk in enumerate(chunks):
        await ws.send(json.dumps({"type": "input_audio_buffer.append",
                                  "audio": base64.b64encode(chunk.tobytes()).decode()}))
        if i * step >= len(pcm) and end_of_speech is None:
            end_of_speech = time.perf_counter()
        target = start + (i + 1) * CHUNK_MS / 1000
        while (wait := target - time.perf_counter()) > 0:
            with contextlib.suppress(TimeoutError):
                raw = await asyncio.wait_for(ws.recv(), wait)
                event = json.loads(raw)
                if event["type"] == "response.output_audio.delta" and first is None:
                    first = time.perf_counter()
    with contextlib.suppress(TimeoutError):
        while True:  # let the reply finish before the next turn
            event = json.loads(await asyncio.wait_for(ws.recv(), 3.0))
            if event["type"] == "response.output_audio.delta" and first is None:
                first = time.perf_counter()
            if event["type"] == "response.done":
                break
    if first is None or end_of_speech is None:
        return None
    return (first - end_of_speech) * 1000


async def run(turns: int, asr_delay: float, vary: str) -> None:
    clips = speech()
    with server(True, asr_delay, vary) as on, server(False, asr_delay, vary) as off:
        urls = {True: f"ws://127.0.0.1:{on}/v1/realtime?model=bench",
                False: f"ws://127.0.0.1:{off}/v1/realtime?model=bench"}
        results: dict[bool, list[float]] = {True: [], False: []}
        late_before = metrics.AFFECT_LATE_TOTAL._value.get()
        async with websockets.connect(urls[True], max_size=None) as ws_on, \
                websockets.connect(urls[False], max_size=None) as ws_off:
            for ws in (ws_on, ws_off):
                await ws.recv()  # session.created
            for i in range(turns):
                for affect, ws in ((True, ws_on), (False, ws_off))[:: 1 if i % 2 else -1]:
                    ms = await one_turn(ws, clips[i % len(clips)])
                    if ms is not None:
                        results[affect].append(ms)
        late = metrics.AFFECT_LATE_TOTAL._value.get() - late_before
    for affect in (True, False):
        xs = results[affect]
        q = statistics.quantiles(xs, n=20) if len(xs) > 1 else xs * 19
        print(f"{vary} {'on ' if affect else 'off'}: end of speech → first audio, "
              f"{len(xs)} turns: p50 {statistics.median(xs):.0f} ms, p95 {q[18]:.0f} ms")
    print(f"turns whose voice was not yet heard when the words arrived: {late:.0f} of "
          f"{len(results[True])}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--turns", type=int, default=12)
    p.add_argument("--asr-delay", type=float, default=0.0)
    p.add_argument("--vary", choices=("affect", "model"), default="affect")
    args = p.parse_args()
    asyncio.run(run(args.turns, args.asr_delay, args.vary))


if __name__ == "__main__":
    main()
