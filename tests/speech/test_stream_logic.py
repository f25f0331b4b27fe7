"""The streaming logic around the model, with a scripted fake model (no Whisper here)."""

from __future__ import annotations

import numpy as np
import pytest

from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.asr.whisper_model import Audio, Decoded, WhisperModel


class FakeWhisperModel:
    """Says how many seconds it was given (and the prompt); can fail on chosen calls."""

    def __init__(self, fail_on: set[int] | None = None) -> None:
        self.calls: list[tuple[float, str]] = []
        self._fail_on = fail_on or set()

    def decode(self, audio: Audio, *, language: str | None = None, prompt: str = "") -> Decoded:
        self.calls.append((round(len(audio) / 16000, 2), prompt))
        if len(self.calls) in self._fail_on:
            raise RuntimeError("decoder failure (scripted)")
        return Decoded(f"<{len(audio) / 16000:.1f}s>", language or "zh")


def recognizer(model: FakeWhisperModel) -> WhisperRecognizer:
    fake: WhisperModel = model  # type: ignore[assignment]
    return WhisperRecognizer(fake)


def speech(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * 16000)) / 16000
    return (8000 * np.sin(2 * np.pi * 200 * t)).astype(np.int16)


async def test_long_turn_is_committed_at_a_pause_and_the_tail_prompted_with_it() -> None:
    model = FakeWhisperModel()
    stream = recognizer(model).stream(language=None, start_ms=0.0)
    stream.feed(speech(5.0))
    assert await stream.hypothesis() == "<5.0s>"
    stream.feed(speech(2.0))
    stream.feed(np.zeros(8000, dtype=np.int16))
    assert await stream.finish() == "<5.0s> <2.5s>"  # a space between Latin text
    assert model.calls == [(5.0, ""), (2.5, "<5.0s>")]


async def test_closing_silence_reuses_the_pause_decode() -> None:
    model = FakeWhisperModel()
    stream = recognizer(model).stream(language="zh", start_ms=0.0)
    stream.feed(speech(2.0))
    await stream.hypothesis()
    stream.feed(np.zeros(8000, dtype=np.int16))
    assert await stream.finish() == "<2.0s>"
    assert len(model.calls) == 1


async def test_a_failed_partial_does_not_fail_the_turn() -> None:
    model = FakeWhisperModel(fail_on={1})
    stream = recognizer(model).stream(language="zh", start_ms=0.0)
    stream.feed(speech(2.0))
    with pytest.raises(RuntimeError):
        await stream.hypothesis()
    assert await stream.finish() == "<2.0s>"


async def test_a_failed_final_decode_is_reported() -> None:
    stream = recognizer(FakeWhisperModel(fail_on={1})).stream(language="zh", start_ms=0.0)
    stream.feed(speech(1.0))
    with pytest.raises(RuntimeError, match="scripted"):
        await stream.finish()


async def test_nothing_fed_gives_an_empty_transcript_without_decoding() -> None:
    model = FakeWhisperModel()
    assert await recognizer(model).stream(language=None, start_ms=0.0).finish() == ""
    assert model.calls == []
