"""The silero VAD: speech is heard, silence and steady noise are not; streams keep own state."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lingxi.audio import Pcm
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.silero_vad import SileroVad, VadModelError, build_vad
from tests.speech.audio import espeak, noise, silence

FRAME = 512


def probabilities(vad: SileroVad, pcm: Pcm) -> np.ndarray:
    stream = vad.stream()
    return np.array([stream.probability(pcm[i:i + FRAME])
                     for i in range(0, len(pcm) - FRAME + 1, FRAME)])


def test_speech_is_detected_and_surrounding_silence_is_not(silero: SileroVad) -> None:
    speech = espeak("Good morning, I would like to talk about my day at work.")
    audio = np.concatenate([silence(1.0), speech, silence(1.0)])
    p = probabilities(silero, audio)
    lead, body = int(1.0 * 16000 / FRAME), len(speech) // FRAME
    assert (p[:lead - 1] < 0.5).all()
    assert (p[lead + body + 8:] < 0.5).all()  # after a short hang-over
    assert (p[lead + 2:lead + body - 2] >= 0.5).mean() > 0.8


@pytest.mark.parametrize("dbfs", [-40.0, -20.0])
def test_steady_noise_is_not_speech(silero: SileroVad, dbfs: float) -> None:
    p = probabilities(silero, noise(3.0, dbfs))
    assert (p >= 0.5).mean() < 0.05


def test_speech_in_noise_is_still_detected(silero: SileroVad) -> None:
    speech = espeak("Can you hear me over all this noise?")
    mix = (speech.astype(np.int32) + noise(len(speech) / 16000, -35.0)[:len(speech)])
    p = probabilities(silero, np.clip(mix, -32768, 32767).astype(np.int16))
    assert (p[2:-2] >= 0.5).mean() > 0.7


def test_streams_keep_their_own_state(silero: SileroVad) -> None:
    a = np.concatenate([espeak("one two three"), silence(0.5)])
    b = noise(len(a) / 16000, -30.0, seed=7)[:len(a)]
    alone = probabilities(silero, a)
    sa, sb = silero.stream(), silero.stream()
    interleaved = []
    for i in range(0, len(a) - FRAME + 1, FRAME):
        interleaved.append(sa.probability(a[i:i + FRAME]))
        sb.probability(b[i:i + FRAME])
    np.testing.assert_allclose(interleaved, alone, atol=1e-5)


def test_missing_model_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "silero_vad.onnx"
    with pytest.raises(VadModelError, match=r"silero_vad\.onnx.*install\.sh"):
        SileroVad(missing)
    missing.write_bytes(b"not a model")
    with pytest.raises(VadModelError, match="cannot be loaded"):
        SileroVad(missing)


def test_build_vad_follows_settings() -> None:
    assert isinstance(build_vad(Settings()), SileroVad)
    assert isinstance(build_vad(Settings(vad="energy")), EnergyVad)
