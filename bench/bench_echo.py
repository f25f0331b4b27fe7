"""Echo of Lingxi's own voice through a speaker: false interruptions and real barge-ins.

Each scenario of `echo/scenarios.tsv` plays a reply (Lingxi's own voice) through a simulated
speaker path (delay, attenuation, a room impulse response and low-pass, background noise)
back into the microphone, as a phone on speaker or a page with echo cancellation off does,
and optionally a caller's interruption (a duplex clip) over it. The microphone goes through
the call's real input path (`InputAudio`: resampling, silero VAD, the server_vad turn
detector with the call's 64 ms onset) in 40 ms appends, with the echo guard off and on; the
guard is told what was played where the playback estimate puts it (one network delay early)
and when the audio arrived (one network delay late). On a barge-in the simulated client stops
playing, so the echo stops one round trip after the speech_started frame.

Counted: a false interruption (speech_started before any caller speech), and for barge-ins
whether the reply stopped within 2 s of the caller's onset and how soon (audio time: the end
of the append that started the turn, plus the uplink, minus the onset). Also the guard's cost
per judged frame.

    .venv/bin/python bench/bench_echo.py [--split dev|held|all] [--seeds 3]
        [--threshold 0.6,0.7] [--excess 6,9] [--window 128,256]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

from duplex.clips import WIRE, Pcm, load, speech
from duplex.report import pct
from lingxi.audio import WireFormat
from lingxi.engines.silero_vad import SileroVad
from lingxi.interfaces import Engines
from lingxi.protocol.session import ServerVad
from lingxi.session.echo import EchoGuard, EchoSettings
from lingxi.session.envelopes import F64, RATE
from lingxi.session.input import InputAudio
from lingxi.session.turns import TurnDetector

TSV = Path(__file__).with_name("echo") / "scenarios.tsv"
REPLY = {  # what Lingxi says while the echo comes back (its own voices)
    "zh": "从前有一座山，山上住着一只小狐狸。它每天早上都去河边喝水，看看太阳慢慢升起来。"
          "有一天，它在河边遇到了一只迷路的小兔子，小兔子说它找不到回家的路了。",
    "en": "Once upon a time, a little fox lived on a quiet hill. Every morning it walked down "
          "to the river to drink and watch the sun come up. One day it met a small rabbit "
          "who had lost its way home.",
}
REPLY_AT_S = 0.5  # when the client starts playing the reply
CHUNK = int(0.04 * WIRE)


class TimedGuard(EchoGuard):
    """The guard, timing each frame it compares (the only ones that cost)."""

    def __init__(self, settings: EchoSettings) -> None:
        super().__init__(settings)
        self.costs: list[float] = []

    def _correlation(self, short: F64, ref: F64, first: int, version: int) -> tuple[float, int]:
        started = time.perf_counter()
        found = super()._correlation(short, ref, first, version)
        self.costs.append(time.perf_counter() - started)
        return found


@dataclass(frozen=True)
class Scenario:
    id: str
    split: str
    lang: str
    delay_ms: float
    atten_db: float
    room: str
    noise_db: float
    net_ms: float
    interrupt: str


@dataclass
class Outcome:
    scenario: Scenario
    false_interruption: bool
    stopped: bool | None = None  # barge-in: stopped within 2 s of the caller's onset
    stop_ms: float | None = None


def scenarios() -> list[Scenario]:
    rows = []
    for line in TSV.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            c = line.split("\t")
            rows.append(Scenario(c[0], c[1], c[2], float(c[3]), float(c[4]), c[5],
                                 float(c[6]), float(c[7]), c[8]))
    return rows


def speaker_path(reply: Pcm, s: Scenario, rng: np.random.Generator) -> F64:
    """The reply as the microphone hears it from the speaker (wire rate), not yet delayed."""
    x = reply.astype(np.float64)
    if s.room != "dry":
        decay_ms = 15.0 if s.room == "small" else 60.0
        n = int(WIRE * decay_ms * 4 / 1000)
        h = rng.standard_normal(n) * np.exp(-np.arange(n) / (WIRE * decay_ms / 1000))
        h[0] = 4.0 * np.abs(h).max()
        x = np.convolve(x, h / np.sqrt(np.sum(h * h)))[: len(x)]
        taps = 3 if s.room == "small" else 6  # a cheap speaker: little above 4-8 kHz
        x = np.convolve(x, np.ones(taps) / taps, mode="same")
    out: F64 = x * 10 ** (s.atten_db / 20)
    return out


def run(s: Scenario, vad: SileroVad, guard: EchoGuard | None, seed: int,
        speaker: bool = True) -> Outcome:
    """`speaker` False: a headset (no echo at all), the barge-in baseline."""
    rng = np.random.default_rng(seed)
    reply = speech(REPLY[s.lang], s.lang, s.lang)
    echo = speaker_path(reply, s, rng) * (1.0 if speaker else 0.0)
    net, delay = s.net_ms / 1000, s.delay_ms / 1000
    play0 = REPLY_AT_S
    total = int((play0 + len(reply) / WIRE + 1.0) * WIRE)
    caller = np.zeros(total)
    onset_s: float | None = None
    if s.interrupt != "-":
        clip = next(c for c in load() if c.id == s.interrupt)
        pcm = speech(clip.text, clip.voice, clip.lang).astype(np.float64)
        onset_s = play0 + clip.ms / 1000
        at = int(onset_s * WIRE)
        caller[at : at + len(pcm)] = pcm[: total - at]
    noise = rng.standard_normal(total) * 32768 * 10 ** (s.noise_db / 20)
    engines = Engines(vad=vad, asr=vad, responder=None, tts=None)  # type: ignore[arg-type]
    detector = TurnDetector(ServerVad(), 32.0, 64.0)
    audio_in = InputAudio(WireFormat("pcm16", WIRE), engines, detector, batch=False)
    audio_in.echo = guard
    # The server sends 100 ms chunks 0.4 s ahead of playing them and places each one
    # downlink before it is heard; none after the barge-in.
    ref = soxr.resample(reply.astype(np.float32), WIRE, RATE).astype(np.int16)
    ref_chunks = [(play0 - net + i / RATE, ref[i : i + 1600]) for i in range(0, len(ref), 1600)]
    stop_at: float | None = None  # when the client stopped playing
    started: float | None = None  # end of the append that started a turn, as the server got it
    for pos in range(0, total - CHUNK, CHUNK):
        t = (pos + np.arange(CHUNK)) / WIRE
        idx = np.clip(((t - play0 - delay) * WIRE).astype(int), 0, len(echo) - 1)
        playing = (t >= play0 + delay) & (t < play0 + delay + len(reply) / WIRE)
        if stop_at is not None:
            playing &= t < stop_at + delay
        mic = np.where(playing, echo[idx], 0.0) + caller[pos : pos + CHUNK] + \
            noise[pos : pos + CHUNK]
        end_s = (pos + CHUNK) / WIRE
        if guard is not None:
            while ref_chunks and ref_chunks[0][0] - 0.4 <= end_s + net and stop_at is None:
                when, chunk = ref_chunks.pop(0)
                guard.played(chunk, when)
            guard.arrived(1000 * end_s, end_s + net)
        data = np.clip(mic, -32768, 32767).astype("<i2").tobytes()
        _, events = audio_in.push(data)
        if any(e.kind == "speech_started" for e in events) and started is None:
            started = end_s + net
            stop_at = started + net
            if guard is not None:
                guard.stopped(started)
    false = started is not None and (onset_s is None or started < onset_s)
    if onset_s is None:
        return Outcome(s, false)
    stopped = started is not None and started <= onset_s + 2.0
    return Outcome(s, false, stopped, 1000 * (started - onset_s) if stopped and not false
                   and started is not None else None)


def report(name: str, got: list[Outcome]) -> None:
    echo_only = [o for o in got if o.scenario.interrupt == "-"]
    barge = [o for o in got if o.scenario.interrupt != "-"]
    false = sum(o.false_interruption for o in got)
    stops = [o.stop_ms for o in barge if o.stop_ms is not None]
    real = [o for o in barge if not o.false_interruption]
    print(f"  {name}\n      false interruptions {false}/{len(got)} (echo alone "
          f"{sum(o.false_interruption for o in echo_only)}/{len(echo_only)}); barge-ins "
          f"stopped by the caller {sum(bool(o.stopped) for o in real)}/{len(barge)}; "
          f"onset→stop p50 {pct(stops, 0.5):.0f} / p95 {pct(stops, 0.95):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "held", "all"), default="dev")
    default = EchoSettings()
    parser.add_argument("--threshold", default=f"{default.threshold}",
                        help="threshold values to try (dev only: the default is the server's)")
    parser.add_argument("--excess", default=f"{default.excess_db}",
                        help="excess_db values to try")
    parser.add_argument("--window", default=f"{default.window_ms}",
                        help="window_ms values to try")
    parser.add_argument("--seeds", type=int, default=1, help="runs of each scenario "
                        "(the room's impulse response and the noise differ)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    rows = [s for s in scenarios() if args.split in ("all", s.split)]
    vad = SileroVad()
    print(f"echo bench: {len(rows)} scenarios ({args.split}), {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")
    tried = [EchoSettings(threshold=float(t), excess_db=float(x), window_ms=float(w))
             for t in args.threshold.split(",") for x in args.excess.split(",")
             for w in args.window.split(",")]
    configs: list[tuple[str, EchoSettings | None, bool]] = [
        ("headset, guard off", None, False), ("headset, guard on", tried[0], False),
        ("speaker, guard off", None, True)] + [
        (f"speaker, guard on, threshold {g.threshold}, excess {g.excess_db} dB, window "
         f"{g.window_ms} ms", g, True) for g in tried]
    for name, settings, speaker in configs:
        got: list[Outcome] = []
        costs: list[float] = []
        for i, s in [(i, s) for i, s in enumerate(rows) for _ in range(args.seeds)]:
            guard = None if settings is None else TimedGuard(settings)
            got.append(run(s, vad, guard, seed=i * 100 + len(got), speaker=speaker))
            if guard is not None:
                costs += guard.costs
            if args.verbose:
                o = got[-1]
                print(f"    {name} {s.id}: false={o.false_interruption} stopped={o.stopped} "
                      f"stop_ms={o.stop_ms}")
        report(name, got)
        if costs:
            us = [1e6 * c for c in costs]
            print(f"    guard: {len(us)} frames compared, p50 {pct(us, 0.5):.0f} / p95 "
                  f"{pct(us, 0.95):.0f} µs each (of 32 ms of audio)")
    print(f"  load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
