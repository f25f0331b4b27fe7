"""The input audio path: wire bytes → engine rate → VAD frames → turn events, plus the buffer.

An append is heard in two steps. `hear` is the CPU work (noise reduction, resampling, the VAD
model on each frame): it touches only the front end's own state, so it may run on a worker
thread, one append at a time per call. `accept` is the bookkeeping that the rest of the call
shares (the buffer, the turn detector): it runs on the event loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lingxi.audio import Pcm, StreamResampler, WireFormat
from lingxi.engines.denoise import NoiseReducer
from lingxi.interfaces import BatchVad, Engines, VadStream, VoiceActivityDetector
from lingxi.session.echo import EchoGuard
from lingxi.session.envelopes import RATE as ECHO_RATE
from lingxi.session.turns import TurnDetector, TurnEvent

# Appends longer than this are heard on a worker: about three VAD frames (~1 ms of silero) is
# the most the event loop does for one message. Real-time clients send 20-100 ms chunks.
LARGE_APPEND_MS = 100.0


@dataclass(frozen=True, slots=True)
class Front:
    """One append before the VAD: its audio at the recogniser's rate, and the whole VAD
    frames it completed with the end of each (ms since the call began)."""

    wire_samples: int
    pcm: Pcm
    frames: list[Pcm]
    ends: list[float]
    # Which frames are the reply's own echo, told the frames' speech probabilities (None: no
    # echo guard).
    echo: Callable[[Front, list[float]], frozenset[int]] | None = None

    def heard(self, probabilities: list[float]) -> Heard:
        # An echo frame is heard as silence: it neither starts a turn nor interrupts.
        echo = frozenset() if self.echo is None else self.echo(self, probabilities)
        heard = [0.0 if i in echo else p for i, p in enumerate(probabilities)]
        return Heard(self.wire_samples, self.pcm, list(zip(heard, self.ends, strict=True)))


@dataclass(frozen=True, slots=True)
class Heard:
    """One append, heard: its audio at the recogniser's rate and, for each whole VAD frame
    it completed, the speech probability and the frame's end (ms since the call began)."""

    wire_samples: int
    pcm: Pcm
    frames: list[tuple[float, float]]


class InputAudio:
    """Owns the input audio buffer (at the recogniser's rate) and the VAD frame clock.

    All positions are milliseconds of input audio since the call began, the unit of the
    protocol's `audio_start_ms` / `audio_end_ms`.
    """

    def __init__(self, wire: WireFormat, engines: Engines, detector: TurnDetector | None,
                 *, start_ms: float = 0.0, reducer: NoiseReducer | None = None,
                 batch: bool = True) -> None:
        self.wire = wire
        self.detector = detector
        self.reducer = reducer  # cleans the audio before the VAD and the recogniser hear it
        self._vad_rate = engines.vad.sample_rate
        self._frame = engines.vad.frame_samples
        self._vad_engine = engines.vad
        self._vad = engines.vad.stream()
        # (Checked once: a runtime protocol check costs tens of µs an append.)
        self._batched = batch and detector is not None and isinstance(engines.vad, BatchVad)
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
        # Told what the reply played; judges frames in `front` (None: no guard, or a VAD
        # not at the guard's rate).
        self.echo: EchoGuard | None = None

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
        return self.accept(self.hear(wire_bytes))

    @property
    def vad(self) -> VoiceActivityDetector:
        return self._vad_engine

    @property
    def vad_stream(self) -> VadStream:
        return self._vad

    def costly(self, wire_bytes: bytes) -> bool:
        """Whether hearing this append is more than the event loop should do itself: a long
        append, any audio to denoise (about 1 ms of CPU per 10 ms of audio), or any frame for
        a VAD model that is cheaper batched across calls than run here one at a time.
        AudioFormatError if the bytes are not whole samples."""
        return self.long(wire_bytes) or self._batched or self.reducer is not None

    def long(self, wire_bytes: bytes) -> bool:
        """More audio than a real-time client sends at once. AudioFormatError if the bytes
        are not whole samples."""
        n = self.wire.samples(wire_bytes)
        return 1000.0 * n / self.wire.sample_rate > LARGE_APPEND_MS

    def hear(self, wire_bytes: bytes) -> Heard:
        """The CPU work of an append: any thread, one at a time."""
        front = self.front(wire_bytes)
        return front.heard([self._vad.probability(frame) for frame in front.frames])

    def front(self, wire_bytes: bytes) -> Front:
        """Decode, denoise and resample an append and cut its VAD frames (any thread, in
        order). Decoding is here too: numpy lets go of the GIL to copy, and on the event
        loop each such pause could hand the GIL to this thread for a whole switch interval."""
        pcm = self.wire.decode(wire_bytes)
        n = len(pcm)
        if self.reducer is not None:
            pcm = self.reducer.process(pcm)
        at_vad_rate = self._to_vad.process(pcm)
        at_asr_rate = at_vad_rate if self._to_asr is None else self._to_asr.process(pcm)
        frames: list[Pcm] = []
        ends: list[float] = []
        if self.detector is not None:
            data = np.concatenate([self._pending, at_vad_rate]) if len(self._pending) \
                else at_vad_rate
            n_frames = len(data) // self._frame
            for i in range(n_frames):
                frames.append(data[i * self._frame : (i + 1) * self._frame])
                self._vad_samples += self._frame
                ends.append(1000.0 * self._vad_samples / self._vad_rate)
            self._pending = data[n_frames * self._frame :]
        judged = self.echo is not None and self._vad_rate == ECHO_RATE
        return Front(n, at_asr_rate, frames, ends, self._echo_frames if judged else None)

    def _echo_frames(self, front: Front, probabilities: list[float]) -> frozenset[int]:
        """The frames the guard finds to be the reply's echo. It hears every frame but judges
        only those the turn detector could take for speech: below its lower bar a frame is
        silence either way, and judging costs the hearing thread (a comparison lets go of
        the GIL several times; at 50 calls judging every frame held back every call's turns
        by seconds)."""
        guard = self.echo
        if guard is None:
            return frozenset()
        bar = 0.0 if self.detector is None else self.detector.speech_floor
        echo = set()
        for i, (frame, end, p) in enumerate(zip(front.frames, front.ends, probabilities,
                                                 strict=True)):
            guard.heard(frame, end)
            if p >= bar and guard.echo(end):
                echo.add(i)
        return frozenset(echo)

    def accept(self, heard: Heard) -> tuple[Pcm, list[TurnEvent]]:
        """Buffer a heard append and run the turn detector on its frames (the event loop)."""
        self._wire_samples += heard.wire_samples
        self._chunks.append(heard.pcm)
        self._buffered += len(heard.pcm)
        events: list[TurnEvent] = []
        if self.detector is not None:
            for probability, end_ms in heard.frames:
                events.extend(self.detector.on_frame(probability, end_ms))
        return heard.pcm, events

    def audio_since(self, start_ms: float) -> Pcm:
        if not self._chunks:
            return np.zeros(0, dtype=np.int16)
        data = np.concatenate(self._chunks)
        self._chunks = [data]
        return data[self._skip(start_ms):]

    def clear(self, keep_ms: float = 0.0) -> None:
        """Empty the buffer, keeping the last `keep_ms` (the prefix padding of the next turn).

        The kept chunks are views, not a copy: between turns this runs once a second per call
        on the event loop, and numpy lets go of the GIL to copy (the loop could then wait a
        whole switch interval for it back)."""
        want = 0 if keep_ms <= 0 else \
            max(0, self._buffered - self._skip(self.position_ms - keep_ms))
        kept: list[Pcm] = []
        have = 0
        for chunk in reversed(self._chunks):
            if have >= want:
                break
            take = chunk[max(0, len(chunk) - (want - have)):]
            kept.append(take)
            have += len(take)
        self._chunks = [c for c in reversed(kept) if len(c)]
        self._buffered = have
        self._buffer_start_ms = self.position_ms - self.buffered_ms

    def _skip(self, start_ms: float) -> int:
        """How many buffered samples lie before `start_ms`."""
        return int(max(0.0, start_ms - self._buffer_start_ms) * self.asr_rate / 1000)
