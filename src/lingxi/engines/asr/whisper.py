"""Streaming recognition on Whisper: decode at each pause, keep the stable prefix.

Whisper is not a streaming model, so the stream decodes speculatively whenever the listener
asks for a hypothesis (at each pause in speech). When the turn ends after a pause, the last
decode already covers everything said, and `finish()` returns at once if only silence came
since. Long utterances are committed piece by piece at pauses (the committed text prompts
the next decode), so the decode left at the end of speech covers only the tail.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.asr.whisper_model import SAMPLE_RATE, Audio, Decoded, WhisperModel

T = TypeVar("T")
_COMMIT_S = 4.0  # decoded audio this long, ending at a pause, becomes the stable prefix
_STALE_S = 0.3  # a hypothesis this much behind the audio is still fresh enough for a partial
_FRAME = 512
_QUIET_RATIO = 0.12  # a tail frame this far below the speech level (-18 dB) is silence
_QUIET_FLOOR = 60.0 / 32768.0  # and below about -55 dBFS always is


@dataclass(frozen=True, slots=True)
class _Tail:
    end: int  # samples of the utterance the decode covers
    text: str
    language: str | None = None


class WhisperRecognizer:
    name = "whisper-base"
    sample_rate = SAMPLE_RATE

    def __init__(self, model: WhisperModel) -> None:
        self.model = model
        # One decoding thread per model: CTranslate2 uses all cores for one decode anyway,
        # and a queue keeps calls in arrival order instead of thrashing the CPU.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper")

    async def run_blocking(self, fn: Callable[[], T]) -> T:
        """The one way model work leaves the event loop: the model's decoding thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    async def transcribe(self, pcm: Pcm, *, language: str | None) -> Decoded:
        audio = pcm.astype(np.float32) / 32768.0
        return await self.run_blocking(lambda: self.model.decode(audio, language=language))

    def stream(self, *, language: str | None, start_ms: float) -> WhisperStream:
        return WhisperStream(self, language)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class WhisperStream:
    def __init__(self, recognizer: WhisperRecognizer, language: str | None) -> None:
        self._recognizer = recognizer
        self._language = language
        self._chunks: list[Pcm] = []
        self._n = 0
        self._prefix = ""  # committed text of audio[:_prefix_end]
        self._prefix_end = 0
        self._tail: _Tail | None = None  # latest decode of audio[_prefix_end:tail.end]
        self._inflight: asyncio.Future[_Tail] | None = None

    def feed(self, pcm: Pcm) -> None:
        if len(pcm):
            self._chunks.append(pcm)
            self._n += len(pcm)

    def _audio(self) -> Pcm:
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
        return self._chunks[0] if self._chunks else np.zeros(0, dtype=np.int16)

    def _text(self, tail: _Tail | None) -> str:
        parts = [p for p in (self._prefix, tail.text if tail else "") if p]
        if len(parts) == 2 and parts[0][-1].isascii() and parts[1][0].isascii():
            return parts[0] + " " + parts[1]
        return "".join(parts)

    async def _settle(self) -> None:
        """Wait out decodes in flight (shielded: a cancelled probe must not kill them)."""
        while self._inflight is not None:
            await asyncio.shield(self._inflight)

    async def hypothesis(self) -> str:
        # At most one decode per stream runs; callers arriving meanwhile reuse its result
        # unless the audio has since grown, which keeps the decoding thread from queueing up.
        await self._settle()
        tail = self._tail
        if tail is None or tail.end < self._n - _STALE_S * SAMPLE_RATE:
            tail = await self._decode_to(self._n)
            if (tail.end - self._prefix_end) / SAMPLE_RATE >= _COMMIT_S and tail.text:
                # Called at a pause: a good place to cut. Later decodes start here.
                self._prefix, self._prefix_end = self._text(tail), tail.end
                self._tail = _Tail(tail.end, "")
                return self._prefix
        return self._text(tail)

    async def finish(self) -> str:
        await self._settle()
        tail = self._tail
        if tail is None or not self._quiet_after(tail.end):
            tail = await self._decode_to(self._n)
        return self._text(tail)

    async def _decode_to(self, end: int) -> _Tail:
        audio = self._audio()[self._prefix_end:end].astype(np.float32) / 32768.0
        prompt, start, model = self._prefix, self._prefix_end, self._recognizer.model
        language = self._language

        def work() -> _Tail:
            decoded = model.decode(audio, language=language, prompt=prompt)
            return _Tail(end, decoded.text, decoded.language)

        future = asyncio.ensure_future(self._recognizer.run_blocking(work))
        self._inflight = future
        try:
            tail = await asyncio.shield(future)
        finally:
            if self._inflight is future:
                self._inflight = None
        # One language per utterance: later pieces follow the first detection.
        self._language = self._language or tail.language
        if start == self._prefix_end and (self._tail is None or tail.end >= self._tail.end):
            self._tail = tail
        return tail

    def _quiet_after(self, end: int) -> bool:
        """Whether the audio after `end` holds no speech (only the turn's closing silence)."""
        audio = self._audio()
        if end >= len(audio):
            return True
        level = _frame_levels(audio[:end])
        tail = _frame_levels(audio[end:])
        speech = float(np.percentile(level, 90)) if len(level) else 0.0
        return float(tail.max(initial=0.0)) < max(_QUIET_FLOOR, _QUIET_RATIO * speech)


def _frame_levels(pcm: Pcm) -> Audio:
    """RMS level of each 32 ms frame (a shorter remainder counts as one frame)."""
    x = pcm.astype(np.float32) / 32768.0
    frames = [x[i:i + _FRAME] for i in range(0, len(x), _FRAME)]
    return np.array([float(np.sqrt(np.mean(f * f))) for f in frames], dtype=np.float32)
