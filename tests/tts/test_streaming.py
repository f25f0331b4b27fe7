"""Streaming logic with a fake voice: work happens off the loop and stops when the reader does."""

from __future__ import annotations

import asyncio
import threading

import numpy as np

from lingxi.engines.tts.local import LocalTTS, VoiceSet
from lingxi.engines.tts.models import Audio
from lingxi.interfaces import Voice


class FakeCountingModel:
    """A fake voice: 0.2 s of tone per piece, remembering what it was asked and where."""

    native_pitch = False
    world_pitch = True

    def __init__(self, name: str, sample_rate: int = 16000) -> None:
        self.name = name
        self.sample_rate = sample_rate
        self.texts: list[str] = []
        self.threads: list[str] = []

    def synth(self, text: str, *, speed: float, pitch: float) -> Audio:
        self.texts.append(text)
        self.threads.append(threading.current_thread().name)
        t = np.arange(int(0.2 * self.sample_rate / speed)) / self.sample_rate
        return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def fake_tts() -> tuple[LocalTTS, FakeCountingModel, FakeCountingModel]:
    zh, en = FakeCountingModel("fake-zh"), FakeCountingModel("fake-en", 22050)
    return LocalTTS(VoiceSet({"zh": zh, "en": en}, {"zh": zh, "en": en})), zh, en


async def test_closing_the_stream_stops_synthesis_of_the_rest() -> None:
    tts, zh, _ = fake_tts()
    stream = tts.synthesize("第一句。第二句。第三句。第四句。第五句。", Voice())
    first = await anext(stream)
    await stream.aclose()
    await asyncio.sleep(0.05)
    assert len(first) > 0
    assert zh.texts == ["第一句。"]


async def test_models_run_in_the_synthesis_pool_not_on_the_loop() -> None:
    tts, zh, en = fake_tts()
    chunks = [c async for c in tts.synthesize("你好 hello 世界", Voice())]
    assert len(chunks) == 3
    assert zh.texts == ["你好", "世界"] and en.texts == ["hello"]
    assert all(name.startswith("lingxi-tts") for name in zh.threads + en.threads)
    assert threading.current_thread().name not in zh.threads


async def test_every_voice_rate_comes_out_at_the_call_rate_with_pauses() -> None:
    tts, _, _ = fake_tts()
    chunks = [c async for c in tts.synthesize("你好。hello", Voice())]
    # 0.2 s each, resampled from 16 and 22.05 kHz to 24 kHz; a sentence pause after the first.
    assert len(chunks[0]) == 4800 + 6000
    assert abs(len(chunks[1]) - 4800) <= 2
    assert not chunks[0][-6000:].any()


async def test_nothing_speakable_gives_no_audio() -> None:
    tts, zh, en = fake_tts()
    assert [c async for c in tts.synthesize(" …！ ", Voice())] == []
    assert zh.texts == en.texts == []


class FakeFailingModel(FakeCountingModel):
    def synth(self, text: str, *, speed: float, pitch: float) -> Audio:
        raise RuntimeError("inference failed")


async def test_a_piece_no_voice_can_say_is_skipped_and_the_rest_still_spoken() -> None:
    broken, en = FakeFailingModel("fake-broken"), FakeCountingModel("fake-en")
    tts = LocalTTS(VoiceSet({"zh": broken, "en": en}, {}))
    chunks = [c async for c in tts.synthesize("你好 hello", Voice())]
    assert len(chunks) == 1 and en.texts == ["hello"]
