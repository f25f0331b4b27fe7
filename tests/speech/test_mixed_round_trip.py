"""A mixed Mandarin/English sentence, spoken by Lingxi's voices and recognised back by Whisper.

Whisper base, given the whole sentence as Mandarin, keeps the Chinese words but tends to drop a
single English word inside it (measured: "我们来读 think 这个词" → "我们来读这个词"); heard on
its own, the English piece comes back as English. Both halves are checked, so a voice that
said the wrong words in either language, or joined them badly, fails here.
"""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
import soxr

from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import Voice
from tests.speech.audio import error_rate

SENTENCE = "我们来练习 good morning 这句话。"


@pytest.fixture(scope="module")
def pieces() -> list[tuple[str, str, np.ndarray[Any, Any]]]:
    tts = LocalTTS.load()

    async def collect() -> list[tuple[str, str, np.ndarray[Any, Any]]]:
        out: dict[tuple[str, str], list[np.ndarray[Any, Any]]] = {}
        async for piece, pcm in tts.stream_pieces(SENTENCE, Voice("auto")):
            out.setdefault((piece.lang, piece.text), []).append(pcm)
        return [(lang, text, soxr.resample(np.concatenate(chunks).astype(np.int16),
                                           tts.sample_rate, 16_000).astype(np.int16))
                for (lang, text), chunks in out.items()]

    return asyncio.run(collect())


async def hear(whisper: WhisperRecognizer, pcm: np.ndarray[Any, Any], language: str) -> str:
    stream = whisper.stream(language=language, start_ms=0.0)
    stream.feed(pcm)
    return await stream.finish()


async def test_the_sentence_is_said_in_two_voices_and_heard_back(
        whisper: WhisperRecognizer, pieces: list[tuple[str, str, np.ndarray[Any, Any]]]) -> None:
    assert [lang for lang, _, _ in pieces] == ["zh", "en", "zh"]
    whole = np.concatenate([pcm for _, _, pcm in pieces])
    heard = await hear(whisper, whole, "zh")
    chinese = "".join(text for lang, text, _ in pieces if lang == "zh")
    assert error_rate([chinese], [heard], "char") <= 0.2, heard
    english = next(pcm for lang, _, pcm in pieces if lang == "en")
    padded = np.concatenate([np.zeros(4000, np.int16), english, np.zeros(4000, np.int16)])
    assert error_rate(["good morning"], [await hear(whisper, padded, "en")], "word") == 0
