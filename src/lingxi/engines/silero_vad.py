"""The silero voice activity detector (v6, ONNX) run directly on onnxruntime.

`import silero_vad` would pull in torch; the wheel's ONNX file is all that is needed. Each
call keeps its own recurrent state and the last 64 samples of context, as the model expects
for 32 ms frames (512 samples) at 16 kHz.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from lingxi.audio import Pcm

if TYPE_CHECKING:
    from lingxi.config import Settings
    from lingxi.interfaces import VadStream, VoiceActivityDetector

_CONTEXT = 64
_FIX = "run scripts/install.sh (it installs silero-vad==6.2.3 with --no-deps)"


class VadModelError(RuntimeError):
    """The VAD model file is missing or unreadable; the message names it and the fix."""


def bundled_model() -> Path:
    # find_spec locates the package without importing it (its __init__ imports torch).
    spec = importlib.util.find_spec("silero_vad")
    if spec is None or not spec.submodule_search_locations:
        raise VadModelError(f"the silero-vad package is not installed; {_FIX}")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "silero_vad.onnx"


class SileroVadStream:
    def __init__(self, vad: SileroVad) -> None:
        self._vad = vad
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)

    def probability(self, frame: Pcm) -> float:
        n = self._vad.frame_samples
        x = frame[:n].astype(np.float32) / 32768.0
        if len(x) < n:
            x = np.pad(x, (0, n - len(x)))
        window = np.concatenate([self._context, x])[None, :]
        prob, self._state = self._vad.run(window, self._state)
        self._context = x[-_CONTEXT:]
        return prob


class SileroVad:
    name = "silero"
    sample_rate = 16000
    frame_samples = 512

    def __init__(self, model_path: Path | None = None) -> None:
        import onnxruntime as ort

        path = model_path or bundled_model()
        if not path.is_file():
            raise VadModelError(f"silero VAD model file {path} is missing; {_FIX}")
        options = ort.SessionOptions()
        # A frame is a few hundred microseconds of work: threads would only add overhead.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        try:
            self._session: Any = ort.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
            raise VadModelError(f"silero VAD model file {path} cannot be loaded ({exc}); "
                                f"{_FIX}") from exc
        self._sr = np.array(self.sample_rate, dtype=np.int64)

    def run(self, window: npt.NDArray[np.float32],
            state: npt.NDArray[np.float32]) -> tuple[float, npt.NDArray[np.float32]]:
        prob, new_state = self._session.run(
            None, {"input": window, "state": state, "sr": self._sr})
        return float(prob[0, 0]), new_state

    def stream(self) -> SileroVadStream:
        return SileroVadStream(self)

    def probabilities(self, streams: Sequence[VadStream], frames: Sequence[Pcm]) -> list[float]:
        """One frame for each of several calls in one run: the model takes a batch (measured
        on the 2-core dev box, busy: 220 µs a frame alone, 75 µs in a batch of 50-100)."""
        own = [s for s in streams if isinstance(s, SileroVadStream)]
        if len(own) != len(streams) or len(frames) != len(streams):
            raise ValueError("a batch is one frame for each of this detector's streams")
        if not own:
            return []
        n = self.frame_samples
        x = np.zeros((len(own), n), dtype=np.float32)
        for i, frame in enumerate(frames):
            part = frame[:n].astype(np.float32) / 32768.0
            x[i, : len(part)] = part
        windows = np.concatenate([np.stack([s._context for s in own]), x], axis=1)
        state = np.concatenate([s._state for s in own], axis=1)
        prob, new_state = self._session.run(
            None, {"input": windows, "state": state, "sr": self._sr})
        for i, s in enumerate(own):
            s._state = np.ascontiguousarray(new_state[:, i : i + 1, :])
            s._context = x[i, -_CONTEXT:].copy()
        return [float(p) for p in prob[:, 0]]


def build_vad(settings: Settings) -> VoiceActivityDetector:
    if settings.vad == "energy":
        from lingxi.engines.energy_vad import EnergyVad

        return EnergyVad()
    return SileroVad()
