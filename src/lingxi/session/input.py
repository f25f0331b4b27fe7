"""The input audio path: wire bytes → engine rate → VAD frames → turn events, plus the buffer."""

from __future__ import annotations

import numpy as np

from lingxi.audio import Pcm, StreamResampler, WireFormat
from lingxi.engines.denoise import NoiseReducer
from lingxi.interfaces import Engines
from lingxi.session.turns import TurnDetector, TurnEvent


class InputAudio:
    """Owns the input audio buffer (at the recogniser's rate) and the VAD frame clock.

    All positions are milliseconds of input audio since the call began, the unit of the
    protocol's `audio_start_ms` / `audio_end_ms`.
    """

    def __init__(self, wire: WireFormat, engines: Engines, detector: TurnDetector | None,
                 *, start_ms: float = 0.0, reducer: NoiseReducer | None = None) -> None:
        self.wire = wire
        self.detector = detector
        self.reducer = reducer  # cleans the audio before the VAD and the recogniser hear it
        self._vad_rate = engines.vad.sample_rate
        self._frame = engines.vad.frame_samples
        self._vad = engines.vad.stream()
        self._to_vad = StreamResampler(wire.sample_rate, self._vad_rate)
        self.asr_rate = engines.asr.sample_rate
        self._to_asr = (
            None if self.asr_rate == self._vad_rate
            else StreamResampler(wire.sample_rate, self.asr_rate)
        )
        self._pending: Pcm = np.zeros(0, dtype=np.int16)
        # Positions continue across a reconfiguration (a session.update of the format).
        self._vad_samples = round(start_ms * self._vad_rate / 1000)
        self._wire_samples = round(start_ms * wire.sample_rate / 1000)
        self._chunks: list[Pcm] = []
        self._buffer_start_ms = start_ms
        self._buffered = 0

    @property
    def position_ms(self) -> float:
        return 1000.0 * self._wire_samples / self.wire.sample_rate

    @property
    def buffer_start_ms(self) -> float:
        return self._buffer_start_ms

    @property
    def buffered_ms(self) -> float:
        return 1000.0 * self._buffered / self.asr_rate

    def push(self, wire_bytes: bytes) -> tuple[Pcm, list[TurnEvent]]:
        """Take appended audio; return it at the recogniser's rate and the turn events."""
        pcm = self.wire.decode(wire_bytes)
        self._wire_samples += len(pcm)
        if self.reducer is not None:
            pcm = self.reducer.process(pcm)
        at_vad_rate = self._to_vad.process(pcm)
        at_asr_rate = at_vad_rate if self._to_asr is None else self._to_asr.process(pcm)
        self._chunks.append(at_asr_rate)
        self._buffered += len(at_asr_rate)
        events: list[TurnEvent] = []
        if self.detector is not None:
            events = self._run_vad(at_vad_rate, self.detector)
        return at_asr_rate, events

    def _run_vad(self, pcm: Pcm, detector: TurnDetector) -> list[TurnEvent]:
        events: list[TurnEvent] = []
        data = np.concatenate([self._pending, pcm]) if len(self._pending) else pcm
        n_frames = len(data) // self._frame
        for i in range(n_frames):
            frame = data[i * self._frame : (i + 1) * self._frame]
            self._vad_samples += self._frame
            end_ms = 1000.0 * self._vad_samples / self._vad_rate
            events.extend(detector.on_frame(self._vad.probability(frame), end_ms))
        self._pending = data[n_frames * self._frame :]
        return events

    def audio_since(self, start_ms: float) -> Pcm:
        if not self._chunks:
            return np.zeros(0, dtype=np.int16)
        data = np.concatenate(self._chunks)
        self._chunks = [data]
        skip = int(max(0.0, start_ms - self._buffer_start_ms) * self.asr_rate / 1000)
        return data[skip:]

    def clear(self, keep_ms: float = 0.0) -> None:
        """Empty the buffer, keeping the last `keep_ms` (the prefix padding of the next turn)."""
        tail = self.audio_since(self.position_ms - keep_ms) if keep_ms > 0 else None
        self._chunks = [tail] if tail is not None and len(tail) else []
        self._buffered = len(tail) if tail is not None else 0
        self._buffer_start_ms = self.position_ms - self.buffered_ms
