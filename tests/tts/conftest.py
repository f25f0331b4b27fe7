"""One loaded synthesizer for the whole test session (loading takes about a second)."""

from __future__ import annotations

import pytest

from lingxi.engines.tts.local import LocalTTS


@pytest.fixture(scope="session")
def local_tts() -> LocalTTS:
    return LocalTTS.load()
