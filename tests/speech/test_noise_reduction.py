"""Noise reduction of the caller's audio: real DeepFilterNet3 on real speech (an espeak-ng
voice) under white noise, alone and inside a call."""

from __future__ import annotations

import base64
import shutil
import subprocess

import numpy as np
import pytest

from lingxi.audio import StreamResampler
from lingxi.engines.denoise import NoiseReducer
from tests.harness import CallHarness

RATE = 24000


def _speech() -> np.ndarray:
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is installed by scripts/install.sh"
    wav = subprocess.run([espeak, "-v", "en-us", "--stdout", "The quick brown fox jumps over "
                          "the lazy dog, and then it rests by the river."],
                         check=True, capture_output=True).stdout
    pcm = np.frombuffer(wav[44:], dtype="<i2")  # espeak-ng writes 22050 Hz mono
    return StreamResampler(22050, RATE).process(pcm, last=True).astype(np.float32) / 32768


def _snr_db(clean: np.ndarray, heard: np.ndarray) -> float:
    """How far `heard` is from `clean`, best-aligned (the model adds a small delay)."""
    best = -np.inf
    for lag in range(0, 2400, 24):
        a, b = clean[: len(clean) - lag], heard[lag: lag + len(clean) - lag]
        n = min(len(a), len(b))
        a, b = a[:n], b[:n]
        scale = float(np.dot(a, b) / max(np.dot(a, a), 1e-9))
        error = b - scale * a
        best = max(best, 10 * np.log10(np.sum((scale * a) ** 2) / max(np.sum(error ** 2), 1e-12)))
    return float(best)


def _in_chunks(reducer: NoiseReducer, audio: np.ndarray, chunk: int = 960) -> np.ndarray:
    pcm = (audio * 32767).astype(np.int16)
    out = [reducer.process(pcm[i:i + chunk]) for i in range(0, len(pcm), chunk)]
    return np.concatenate(out).astype(np.float32) / 32768


@pytest.mark.parametrize("field", ["near_field", "far_field"])
def test_noisy_speech_comes_out_cleaner(field: str) -> None:
    speech = _speech()
    noise = np.random.default_rng(7).normal(0, 1, len(speech)).astype(np.float32)
    noise *= np.sqrt(np.mean(speech ** 2) / np.mean(noise ** 2))  # 0 dB SNR
    noisy = speech + noise
    reducer = NoiseReducer(RATE, field)  # type: ignore[arg-type]
    reducer.load()
    cleaned = _in_chunks(reducer, noisy)
    assert abs(len(cleaned) - len(noisy)) < RATE // 20  # streamed: about the same length
    before, after = _snr_db(speech, noisy), _snr_db(speech, cleaned)
    assert after > before + (6 if field == "near_field" else 3), (before, after)


async def test_a_call_that_asks_for_noise_reduction_cleans_what_it_hears() -> None:
    speech = _speech()
    noise = np.random.default_rng(8).normal(0, 1, len(speech)).astype(np.float32)
    noise *= np.sqrt(np.mean(speech ** 2) / np.mean(noise ** 2))
    noisy = ((speech + noise) * 16000).astype(np.int16)
    async with CallHarness() as h:
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": None, "noise_reduction": {"type": "near_field"}}}}})
        await h.wait(0.1)  # the model loads (in a worker on a real server)
        for i in range(0, len(noisy), 960):
            await h.send({"type": "input_audio_buffer.append",
                          "audio": base64.b64encode(noisy[i:i + 960].tobytes()).decode()})
        heard = h.call.input.audio_since(0).astype(np.float32)
        rate = h.call.input.asr_rate
        updated = h.of("session.updated")[-1].event["session"]
    assert updated["audio"]["input"]["noise_reduction"] == {"type": "near_field"}
    clean = StreamResampler(RATE, rate).process(
        (speech * 16000).astype(np.int16), last=True).astype(np.float32)
    noisy_at_rate = StreamResampler(RATE, rate).process(noisy, last=True).astype(np.float32)
    assert _snr_db(clean, heard) > _snr_db(clean, noisy_at_rate) + 6
    assert h.errors() == []
