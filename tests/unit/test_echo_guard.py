"""The echo guard: Lingxi's own reply coming back through a speaker is not the caller, while
someone else talking over it still is (synthetic voices, the energy VAD, audio time only)."""

from __future__ import annotations

import numpy as np
import pytest

from lingxi.audio import WireFormat
from lingxi.engines.energy_vad import EnergyVad
from lingxi.interfaces import Engines
from lingxi.protocol.session import ServerVad
from lingxi.session.echo import EchoGuard
from lingxi.session.envelopes import RATE, correlation
from lingxi.session.input import InputAudio
from lingxi.session.turns import TurnDetector

F64 = np.ndarray[tuple[int], np.dtype[np.float64]]
CHUNK = 640  # 40 ms appends, as a real-time client sends


def voice(seconds: float, pitch: float, seed: int) -> F64:
    """A speech-like signal: syllables of random length, gap, pitch and vowel (the weights
    of the harmonics, so each band rises and falls on its own)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    out: F64 = np.zeros(n)
    at = 0
    while at < n:
        length = min(int(rng.uniform(0.12, 0.3) * RATE), n - at)
        t = np.arange(length) / RATE
        f0 = pitch * rng.uniform(0.85, 1.2)
        tone = sum(rng.uniform(0.0, 1.0) / k * np.sin(2 * np.pi * f0 * k * t)
                   for k in range(1, 16))
        out[at : at + length] = 3000.0 * tone * np.hanning(length)
        at += length + int(rng.uniform(0.04, 0.15) * RATE)
    return out


def speaker(reply: F64, delay_ms: float, gain_db: float, seed: int) -> F64:
    """The reply as the microphone hears it: delayed, quieter, low-passed, with noise."""
    rng = np.random.default_rng(seed)
    y = np.convolve(reply, np.ones(4) / 4, mode="same") * 10 ** (gain_db / 20)
    d = int(delay_ms * RATE / 1000)
    out: F64 = np.concatenate([np.zeros(d), y])[: len(reply)] + rng.standard_normal(len(reply)) * 30
    return out


def listen(mic: F64, reply: F64 | None) -> list[float]:
    """Speech onsets (ms) the turn detector reports for this microphone audio while `reply`
    plays from 0 s (None: no echo guard)."""
    engines = Engines(vad=EnergyVad(), asr=EnergyVad(),  # type: ignore[arg-type]
                      responder=None, tts=None)  # type: ignore[arg-type]
    audio_in = InputAudio(WireFormat("pcm16", RATE), engines,
                          TurnDetector(ServerVad(), 32.0, 64.0), batch=False)
    guard = None if reply is None else EchoGuard()
    audio_in.echo = guard
    starts: list[float] = []
    for pos in range(0, len(mic) - CHUNK + 1, CHUNK):
        end = pos + CHUNK
        if guard is not None and reply is not None:
            # The server sends its audio ahead of playing it; the microphone arrives live.
            ahead = min(len(reply), end + 6400)
            if ahead > pos:
                guard.played(reply[pos:ahead].astype(np.int16), pos / RATE)
            guard.arrived(1000 * end / RATE, end / RATE)
        pcm = np.clip(mic[pos:end], -32768, 32767).astype("<i2").tobytes()
        _, events = audio_in.push(pcm)
        starts += [e.audio_ms for e in events if e.kind == "speech_started"]
    return starts


@pytest.mark.parametrize(("delay_ms", "gain_db"), [(60.0, -6.0), (200.0, -14.0)])
def test_the_replys_own_echo_does_not_start_a_turn(delay_ms: float, gain_db: float) -> None:
    reply = voice(5.0, 180.0, seed=1)
    echo = speaker(reply, delay_ms, gain_db, seed=2)
    assert listen(echo, None), "without the guard the echo is heard as the caller"
    assert listen(echo, reply) == []


def test_someone_talking_over_the_echo_still_interrupts() -> None:
    reply = voice(5.0, 180.0, seed=1)
    caller = np.zeros(len(reply))
    onset = int(3.0 * RATE)
    words = voice(1.2, 120.0, seed=7)
    caller[onset : onset + len(words)] = words
    mic = speaker(reply, 100.0, -8.0, seed=2) + caller
    starts = listen(mic, reply)
    assert starts, "the caller's interruption was taken for echo"
    assert 3000.0 - 100 <= starts[0] <= 3000.0 + 500  # their words, not the echo before them


def test_without_any_echo_the_caller_interrupts_as_before() -> None:
    reply = voice(5.0, 180.0, seed=1)
    mic = np.random.default_rng(3).standard_normal(len(reply)) * 30
    onset = int(2.0 * RATE)
    words = voice(1.0, 220.0, seed=9)
    mic[onset : onset + len(words)] += words
    assert listen(mic, reply)[:1] == listen(mic, None)[:1]


class CheckedGuard(EchoGuard):
    """The guard, checking each comparison it makes from kept envelope rows against the same
    comparison computed afresh (a test double: the guard's own code, plus the check)."""

    def __init__(self) -> None:
        super().__init__()
        self.compared = 0

    def _correlation(self, short: F64, ref: F64, first: int, version: int) -> tuple[float, int]:
        kept = super()._correlation(short, ref, first, version)
        fresh = correlation(short, ref)
        # Where the played audio is silence (after the stop) its envelope is flat and the score
        # is rounding noise near 0 either way; elsewhere the two must agree.
        assert kept[0] == pytest.approx(fresh[0], abs=1e-3)
        assert fresh[0] < 0.05 or kept[1] == fresh[1]
        self.compared += 1
        return kept


def test_kept_envelope_rows_compare_as_if_computed_afresh() -> None:
    # Speech over an echo, a reply placed again over what was played (a new reply), one
    # stopped at a barge-in, and more than the three seconds the guard keeps: every change
    # to the played audio must retire the rows it touched.
    guard = CheckedGuard()
    reply, words = voice(6.0, 180.0, seed=1), voice(6.0, 120.0, seed=7)
    mic = speaker(reply, 120.0, -8.0, seed=2) + 0.7 * words
    for pos in range(0, len(mic) - 512 + 1, 512):
        end = pos + 512
        if pos % 6400 == 0 and not 64000 <= pos < 76800:  # a pause after the barge-in
            guard.played(reply[pos : pos + 9600].astype(np.int16), pos / RATE)
        if pos == 32000:  # the playback estimate moved: other audio where some was heard
            guard.played(words[pos : pos + 9600].astype(np.int16), (pos - 3200) / RATE)
        if pos == 64000:  # the client stopped playing 0.2 s ago
            guard.stopped(pos / RATE - 0.2)
        guard.arrived(1000 * end / RATE, end / RATE)
        guard.heard(np.clip(mic[pos:end], -32768, 32767).astype(np.int16), 1000 * end / RATE)
        guard.echo(1000 * end / RATE)
    assert guard.compared > 100
