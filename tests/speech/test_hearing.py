"""The server's hearing thread batches the silero VAD across calls: a call's frames heard in a
batch get the probabilities they would get alone, and appends that wait together are heard in
one round (one run of the model per frame position, not one per call)."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from lingxi.audio import Pcm, WireFormat
from lingxi.clock import VirtualClock
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS, SpeechScript
from lingxi.engines.silero_vad import SileroVad
from lingxi.interfaces import Engines, VadStream
from lingxi.protocol.session import ServerVad
from lingxi.session.hearing import Hearing
from lingxi.session.input import InputAudio
from lingxi.session.turns import TurnDetector
from tests.speech.audio import espeak, silence

WIRE = 24_000


def _speech(seconds_of_silence: float, rate: int = WIRE) -> Pcm:
    """Words after a pause of the given length: each call hears something different."""
    return np.concatenate([silence(seconds_of_silence, rate),
                           espeak("I missed my flight this morning", rate=rate),
                           silence(0.6, rate)])


def test_a_batch_hears_each_call_as_if_it_were_alone(silero: SileroVad) -> None:
    frames = [_speech(s, 16_000)[: 60 * 512].reshape(60, 512) for s in (0.1, 0.4, 0.7)]
    alone = [silero.stream() for _ in frames]
    batched = [silero.stream() for _ in frames]
    heard = []
    for k in range(60):
        one_by_one = [s.probability(f[k]) for s, f in zip(alone, frames, strict=True)]
        together = silero.probabilities(batched, [f[k] for f in frames])
        np.testing.assert_allclose(together, one_by_one, atol=1e-6)
        heard.append(together)
    assert np.max(heard) > 0.8 and np.min(heard) < 0.2  # speech and pauses, told apart


def _input(silero: SileroVad) -> InputAudio:
    clock = VirtualClock()
    engines = Engines(vad=silero, asr=FakeASR(clock, SpeechScript()),
                      responder=FakeResponder(clock), tts=FakeTTS(clock))
    detector = TurnDetector(ServerVad(), 32.0, 64.0)
    return InputAudio(WireFormat("pcm16", WIRE), engines, detector)


async def test_appends_waiting_together_are_heard_in_one_round(silero: SileroVad) -> None:
    hearing = Hearing()
    gate = threading.Event()
    held = asyncio.ensure_future(hearing.run(lambda: gate.wait(30)))
    calls = [_input(silero) for _ in range(3)]
    twins = [_input(silero) for _ in range(3)]  # the same audio, heard alone on this thread
    audio = [_speech(s).astype("<i2").tobytes() for s in (0.1, 0.4, 0.7)]
    heard = [asyncio.ensure_future(hearing.hear(c, a)) for c, a in zip(calls, audio,
                                                                       strict=True)]
    await asyncio.sleep(0)  # every append is queued behind the held round
    gate.set()
    await held
    results = await asyncio.gather(*heard)
    assert (hearing.appends, hearing.largest_round) == (3, 3)  # all three in one round
    for result, twin, a in zip(results, twins, audio, strict=True):
        alone = twin.hear(a)
        assert [end for _, end in result.frames] == [end for _, end in alone.frames]
        np.testing.assert_allclose([p for p, _ in result.frames],
                                   [p for p, _ in alone.frames], atol=1e-6)
        assert max(p for p, _ in result.frames) > 0.8  # the words were heard as speech
        assert np.array_equal(result.pcm, alone.pcm)


async def test_a_failure_on_the_hearing_thread_is_the_caller_s_alone() -> None:
    hearing = Hearing()

    def broken() -> None:
        raise KeyboardInterrupt  # as a Rust panic would: not an Exception at all

    with pytest.raises(RuntimeError, match="hearing failed: KeyboardInterrupt"):
        await hearing.run(broken)
    assert await hearing.run(lambda: "still hearing") == "still hearing"


class _HeldVad:
    """The energy detector, holding its first frame until released (a slow model)."""

    name = "held-energy"

    def __init__(self) -> None:
        self._inner = EnergyVad()
        self.sample_rate, self.frame_samples = self._inner.sample_rate, self._inner.frame_samples
        self.holding, self.release = threading.Event(), threading.Event()

    def stream(self) -> VadStream:
        inner = self._inner.stream()
        vad = self

        class Held:
            def probability(self, frame: Pcm) -> float:
                if not vad.holding.is_set():
                    vad.holding.set()
                    vad.release.wait(30)
                return inner.probability(frame)

        return Held()


async def test_a_real_time_chunk_is_not_held_behind_another_call_s_long_upload(
        silero: SileroVad) -> None:
    hearing = Hearing()
    gate = threading.Event()
    held_round = asyncio.ensure_future(hearing.run(lambda: gate.wait(30)))
    slow = _HeldVad()
    clock = VirtualClock()
    uploader = InputAudio(WireFormat("pcm16", WIRE), Engines(
        vad=slow, asr=FakeASR(clock, SpeechScript()), responder=FakeResponder(clock),
        tts=FakeTTS(clock)), TurnDetector(ServerVad(), 32.0, 64.0))
    upload = asyncio.ensure_future(hearing.hear(uploader, silence(20.0, WIRE).tobytes()))
    chunk = asyncio.ensure_future(hearing.hear(_input(silero), silence(0.04, WIRE).tobytes()))
    await asyncio.sleep(0)  # both queued: they are heard in the same round
    gate.set()
    await held_round
    try:
        heard = await asyncio.wait_for(chunk, 30)  # while the upload's VAD is still held
        assert len(heard.pcm) > 0 and not upload.done()
    finally:
        slow.release.set()
    assert len((await upload).frames) >= 600  # the upload was heard in full after it
