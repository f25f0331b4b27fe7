"""One loaded Whisper model for the whole test session (loading and warming take ~2 s)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lingxi.config import Settings
from lingxi.engines.asr import build_asr
from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.silero_vad import SileroVad


@pytest.fixture(scope="session")
def whisper() -> Iterator[WhisperRecognizer]:
    asr = build_asr(Settings())
    assert isinstance(asr, WhisperRecognizer)
    yield asr
    asr.close()


@pytest.fixture(scope="session")
def silero() -> SileroVad:
    return SileroVad()
