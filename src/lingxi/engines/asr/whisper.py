"""Streaming recognition on Whisper: decode at each pause, keep the stable prefix.

Whisper is not a streaming model, so the stream decodes speculatively whenever the listener
asks for a hypothesis (at each pause in speech). When the turn ends after a pause, the last
decode already covers everything said, and `finish()` returns at once if only silence came
since. Long utterances are committed piece by piece at pauses (the committed text prompts
the next decode), so the decode left at the end of speech covers only the tail.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.asr.code_switch import QUIET_FLOOR, QUIET_RATIO
from lingxi.engines.asr.whisper_model import SAMPLE_RATE, Audio, WhisperModel
from lingxi.interfaces import RecognitionContext

T = TypeVar("T")
_COMMIT_S = 4.0  # decoded audio this long, ending at a pause, becomes the stable prefix
_STALE_S = 0.1  # a hypothesis this much behind the audio is still fresh enough for a partial
_FRAME = 512
_MIN_AUDIO_S = 0.1


@dataclass(frozen=True, slots=True)
class _Tail:
    end: int  # samples of the utterance the decode covers
    text: str


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

    def stream(self, *, language: str | None, start_ms: float,
               context: RecognitionContext | None = None) -> WhisperStream:
        """`context` (optional): hotwords and the previous turn, to bias the decode."""
        return WhisperStream(self, language, context)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class WhisperStream:
    def __init__(self, recognizer: WhisperRecognizer, language: str | None,
                 context: RecognitionContext | None = None) -> None:
        self._recognizer = recognizer
        self._language = language
        self._context = context.prompt() if context else ""
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
        """Wait out the decode in flight; its result (or failure) is already recorded when
        it completes. Shielded, so a cancelled probe does not cancel the decode."""
        while self._inflight is not None:
            with contextlib.suppress(Exception):
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
        if end - self._prefix_end < _MIN_AUDIO_S * SAMPLE_RATE:
            return _Tail(end, "")  # too short to hold a word; Whisper would only guess
        task = asyncio.ensure_future(self._decode_and_record(end))
        # A failure is re-raised to the caller below; stop asyncio reporting it again.
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        self._inflight = task
        return await asyncio.shield(task)

    async def _decode_and_record(self, end: int) -> _Tail:
        audio = self._audio()[self._prefix_end:end].astype(np.float32) / 32768.0
        # The committed text comes last: the decode continues it.
        prompt = " ".join(p for p in (self._context, self._prefix) if p)
        start, model = self._prefix_end, self._recognizer.model
        language = self._language
        try:
            decoded = await self._recognizer.run_blocking(
                lambda: model.decode(audio, language=language, prompt=prompt))
        finally:
            self._inflight = None
        tail = _Tail(end, decoded.text)
        # One language per utterance: later pieces follow the first detection.
        self._language = self._language or decoded.language
        if start == self._prefix_end and (self._tail is None or end >= self._tail.end):
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
        return float(tail.max(initial=0.0)) < max(QUIET_FLOOR, QUIET_RATIO * speech)


def _frame_levels(pcm: Pcm) -> Audio:
    """RMS level of each 32 ms frame (a shorter remainder counts as one frame)."""
    x = pcm.astype(np.float32) / 32768.0
    frames = [x[i:i + _FRAME] for i in range(0, len(x), _FRAME)]
    return np.array([float(np.sqrt(np.mean(f * f))) for f in frames], dtype=np.float32)
