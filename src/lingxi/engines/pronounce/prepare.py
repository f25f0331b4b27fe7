"""The attempt as the alignment takes it: resampled to 16 kHz, cut to the stretch that carries
sound, and padded with a quiet lead-in and tail over a seeded noise floor."""

from __future__ import annotations

import numpy as np
import soxr

from lingxi.audio import Pcm

RATE = 16000
FRAME_MS = 10.0
# (seconds of quiet lead-in and tail, noise floor): the alignment starts and ends in silence.
# pocketsphinx's state alignment now and then fails on one padding ("Alignment failed in frame
# N") and succeeds on another, and fails more often over near-digital silence (18 of 50
# development clips with a floor at -80 dBFS, 4 at -56 dBFS): the next is tried. A low floor
# comes first all the same: a higher one blurs th against s (its gain halves).
TRIES = ((0.25, 3.0), (0.1, 3.0), (0.5, 3.0), (0.35, 3.0), (0.25, 50.0), (0.1, 50.0),
          (0.5, 50.0), (0.35, 50.0), (0.25, 100.0), (0.5, 100.0))
_QUIET = 1.5  # a frame below this × the floor is quiet
_IN_SOUND = 0.05  # the floor's share elsewhere


def resampled(pcm: Pcm, sample_rate: int) -> np.ndarray:
    audio = np.asarray(pcm, dtype=np.float32)
    audio = soxr.resample(audio, sample_rate, RATE) if sample_rate != RATE else audio
    return _trimmed(audio)


def _trimmed(audio: np.ndarray) -> np.ndarray:
    """The stretch that carries sound, and 50 ms either side: the scores then do not depend on
    how much quiet the turn detector left around the attempt (the alignment is sensitive to
    it)."""
    hop = RATE // 100
    n = len(audio) // hop
    if n == 0:
        return audio
    rms = np.sqrt(np.mean(audio[:n * hop].reshape(n, hop) ** 2, axis=1))
    loud = np.flatnonzero(rms > max(rms.max() * 0.03, 30.0))
    if loud.size == 0:
        return audio[:0]
    first, last = max(0, loud[0] - 5), min(n, loud[-1] + 6)
    return audio[first * hop:last * hop]


def padded(audio: np.ndarray, pad_s: float, floor: float) -> Pcm:
    """Padded with quiet, and the quiet filled with a seeded noise floor: over near-digital
    silence the alignment swallows the words or fails. Only quiet frames get it: over the
    weak fricatives (th, f, s) the floor would mask what tells them apart."""
    pad = np.zeros(int(pad_s * RATE), np.float32)
    audio = np.concatenate([pad, audio, pad])
    hop = RATE // 100
    n = len(audio) // hop
    frames = audio[:n * hop].reshape(n, hop)
    quiet = np.sqrt(np.mean(frames ** 2, axis=1)) < floor * _QUIET
    noise = np.random.default_rng(0).normal(0.0, 1.0, audio.shape).astype(np.float32)
    gain = np.where(np.repeat(quiet, hop), floor, floor * _IN_SOUND)
    audio[:n * hop] += noise[:n * hop] * gain
    out: Pcm = np.clip(audio, -32768, 32767).astype(np.int16)
    return out
