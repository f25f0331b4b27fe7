"""Between turns the input buffer keeps only the next turn's prefix padding, sample-exact."""

from __future__ import annotations

import numpy as np

from lingxi.audio import WireFormat
from lingxi.engines.energy_vad import EnergyVad
from lingxi.interfaces import Engines
from lingxi.protocol.session import ServerVad
from lingxi.session.input import InputAudio
from lingxi.session.turns import TurnDetector

RATE = 16000


def _input() -> InputAudio:
    engines = Engines(vad=EnergyVad(), asr=EnergyVad(),  # type: ignore[arg-type]
                      responder=None, tts=None)  # type: ignore[arg-type]
    return InputAudio(WireFormat("pcm16", RATE), engines,
                      TurnDetector(ServerVad(), 32.0, 64.0), batch=False)


def test_clearing_keeps_exactly_the_last_padding_and_later_audio_follows_it() -> None:
    rng = np.random.default_rng(3)
    audio_in = _input()
    sent: list[np.ndarray] = []
    for keep_ms in (300.0, 0.0, 25.0, 5000.0, 300.0):
        for _ in range(int(rng.integers(1, 40))):
            chunk = rng.integers(-3000, 3000, int(rng.integers(1, 30)) * 32, dtype=np.int16)
            sent.append(chunk)
            audio_in.push(chunk.tobytes())
        everything = np.concatenate(sent)  # what the buffer holds, in many chunks
        skip = int(max(0.0, audio_in.position_ms - keep_ms - audio_in.buffer_start_ms)
                   * RATE / 1000)
        expected = everything[skip:] if keep_ms > 0 else everything[:0]
        audio_in.clear(keep_ms=keep_ms)
        assert np.array_equal(audio_in.audio_since(audio_in.buffer_start_ms), expected)
        assert audio_in.buffered_ms == 1000.0 * len(expected) / RATE
        assert audio_in.buffer_start_ms == audio_in.position_ms - audio_in.buffered_ms
        sent = [expected]
