"""Synthetic speech-like sounds for the pronunciation cue tests: tones, band-limited noise (a
fricative's frication), a vowel, at the scorer's rate."""

from __future__ import annotations

import numpy as np

RATE = 16000
PAD_MS = 100.0


def tone(hz: float, seconds: float, amp: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    out: np.ndarray = amp * np.sin(2 * np.pi * hz * t)
    return out


def band_noise(seconds: float, amp: float, low: float, high: float, seed: int = 0) -> np.ndarray:
    """White noise kept between `low` and `high` Hz, peak `amp`."""
    noise = np.random.default_rng(seed).normal(0, 1, int(seconds * RATE))
    spectrum = np.fft.rfft(noise)
    freq = np.fft.rfftfreq(len(noise), 1 / RATE)
    spectrum[(freq < low) | (freq > high)] = 0
    out: np.ndarray = np.fft.irfft(spectrum, len(noise))
    scaled: np.ndarray = out / np.abs(out).max() * amp
    return scaled


def vowel(seconds: float) -> np.ndarray:
    out: np.ndarray = tone(150, seconds, 8000) + tone(700, seconds, 3000) \
        + tone(1200, seconds, 2000)
    return out
