"""A frame-energy voice activity detector: cheap, deterministic, no model.

It hears any loud sound as speech, so it is the stand-in until the silero VAD lands, and the
detector used with scripted test audio (tones in silence).
"""

from __future__ import annotations

import math

import numpy as np

from lingxi.audio import Pcm


class EnergyVadStream:
    def __init__(self, midpoint_dbfs: float, slope_db: float) -> None:
        self._midpoint = midpoint_dbfs
        self._slope = slope_db

    def probability(self, frame: Pcm) -> float:
        if not len(frame):
            return 0.0
        x = frame.astype(np.float32)
        mean_square = float(np.dot(x, x)) / (len(x) * 32768.0 * 32768.0)
        dbfs = 10.0 * math.log10(max(mean_square, 1e-18))
        return 1.0 / (1.0 + math.exp(-(dbfs - self._midpoint) / self._slope))


class EnergyVad:
    name = "energy"

    def __init__(
        self, sample_rate: int = 16000, frame_ms: int = 32, midpoint_dbfs: float = -40.0,
        slope_db: float = 3.0,
    ) -> None:
        self.sample_rate = sample_rate
        self.frame_samples = sample_rate * frame_ms // 1000
        self._midpoint = midpoint_dbfs
        self._slope = slope_db

    def stream(self) -> EnergyVadStream:
        return EnergyVadStream(self._midpoint, self._slope)
