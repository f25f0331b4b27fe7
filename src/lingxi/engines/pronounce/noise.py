"""How noisy an attempt is, and the attempt with the noise taken out.

A caller practising over a phone call is heard through whatever is around them. Under white
noise at 10 dB SNR the alignment gains turn on the noise (it fits the fricatives: th, v, s
words fire even when said well), so a noisy attempt is handled apart: `snr_db` estimates the
attempt's signal-to-noise ratio from its own frames (the loud ones against the quiet ones),
and `denoised` runs the project's denoiser (engines/denoise.py, DeepFilterNet3) over it
before the scorer aligns it.
"""

from __future__ import annotations

import numpy as np

from lingxi.audio import Pcm

HOP = 160  # 10 ms at 16 kHz


def snr_db(pcm: np.ndarray, sample_rate: int = 16000) -> float:
    """The attempt's estimated SNR, dB: the power of its loudest tenth of 10 ms frames over that
    of its quietest tenth (the noise between and around the words). A clean attempt with a
    faint floor reads 50 dB and more; white noise at 10 dB SNR reads about 15."""
    hop = sample_rate // 100
    x = np.asarray(pcm, dtype=np.float64)
    n = len(x) // hop
    if n < 10:
        return 99.0
    power = np.mean(x[:n * hop].reshape(n, hop) ** 2, axis=1) + 1.0
    return float(10 * np.log10(np.percentile(power, 90) / np.percentile(power, 10)))


def denoised(pcm: Pcm, sample_rate: int) -> Pcm:
    """`pcm` through the denoiser, the same length and timing; `pcm` itself when the denoiser
    cannot be had here. The model is loaded, used and freed on the calling thread (it may only
    be used on the thread that loaded it): ~0.13 s, paid only for noisy attempts."""
    from lingxi.engines.denoise import NoiseReducer

    reducer = NoiseReducer(sample_rate)
    try:
        reducer.load()
    except (ImportError, RuntimeError):
        return pcm
    try:
        # The model and the resamplers hold back some audio: push quiet after the attempt and
        # take the delay off the front, so the phones keep their times.
        tail = np.zeros(sample_rate // 10, dtype=np.int16)
        out = np.concatenate([reducer.process(pcm), reducer.process(tail)])
    finally:
        reducer.close()
    delay = _delay(sample_rate)
    got: Pcm = out[delay:delay + len(pcm)]
    if len(got) < len(pcm):
        got = np.concatenate([got, np.zeros(len(pcm) - len(got), dtype=np.int16)])
    return got


def _delay(sample_rate: int) -> int:
    """The denoiser's delay in samples: 10 ms of the model and 20 ms of the resamplers up to
    48 kHz and back, measured at 16 kHz (tests/unit/test_pronounce_noise.py)."""
    return 3 * sample_rate // 100
