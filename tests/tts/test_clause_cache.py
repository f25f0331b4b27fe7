"""Short clauses said again come from memory: the same sound, no second synthesis, and nothing
half-said or too long is kept."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.tts.clause_cache import ClauseCache
from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import Voice


class CountingVoiceFake:
    """A fake voice: 0.1 s of a tone per chunk, three chunks per clause, each call counted."""

    name = "counting-fake"
    sample_rate = 24_000

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        self.calls.append(text)
        for i in range(3):
            yield np.full(2400, len(self.calls) * 10 + i, np.int16)


async def _say(tts: ClauseCache, text: str, voice: Voice | None = None) -> Pcm:
    return np.concatenate([pcm async for pcm in tts.synthesize(text, voice or Voice("zh"))])


async def test_a_short_clause_said_again_is_the_same_sound_without_a_second_synthesis() -> None:
    inner = CountingVoiceFake()
    tts = ClauseCache(inner, max_bytes=1 << 20)
    first = await _say(tts, "我听着呢，")
    again = await _say(tts, "我听着呢，")
    assert inner.calls == ["我听着呢，"]
    assert np.array_equal(first, again)


async def test_another_voice_or_style_is_synthesised_afresh() -> None:
    inner = CountingVoiceFake()
    tts = ClauseCache(inner, max_bytes=1 << 20)
    await _say(tts, "好问题。", Voice("zh"))
    await _say(tts, "好问题。", Voice("zh", style="whisper"))
    await _say(tts, "好问题。", Voice("zh", speed=1.2))
    assert len(inner.calls) == 3


async def test_a_clause_cut_off_by_the_caller_is_not_kept() -> None:
    inner = CountingVoiceFake()
    tts = ClauseCache(inner, max_bytes=1 << 20)
    stream = tts.synthesize("I hear you, ", Voice("en"))
    await anext(stream)
    await stream.aclose()  # type: ignore[attr-defined]  # what a barge-in does
    whole = await _say(tts, "I hear you, ", Voice("en"))
    assert len(inner.calls) == 2
    assert len(whole) == 3 * 2400  # all of it, not the half said before


async def test_long_clauses_are_not_kept_and_the_budget_drops_the_oldest() -> None:
    inner = CountingVoiceFake()
    long = ("今天我们来讲一个很长很长的故事，从前有一座山，"
            "山上有一座庙，庙里有一个老和尚在给小和尚讲故事")
    tts = ClauseCache(inner, max_bytes=2 * 3 * 2400 * 2)  # room for two clauses
    await _say(tts, long)
    await _say(tts, long)
    assert inner.calls.count(long) == 2
    for text in ("一。", "二。", "一。", "三。"):  # 一 used again: 二 is the oldest
        await _say(tts, text)
    assert len(tts) == 2 and tts.kept_bytes <= tts.max_bytes
    calls = len(inner.calls)
    await _say(tts, "一。")
    await _say(tts, "三。")
    assert len(inner.calls) == calls
    await _say(tts, "二。")
    assert len(inner.calls) == calls + 1


async def test_the_local_voice_through_the_cache_says_a_clause_again_unchanged(
        local_tts: LocalTTS) -> None:
    tts = ClauseCache(local_tts, max_bytes=1 << 22)
    first = await _say(tts, "我听着呢，")
    again = await _say(tts, "我听着呢，")
    assert (tts.hits, tts.misses) == (1, 1)
    assert len(first) > 0.3 * tts.sample_rate and np.array_equal(first, again)
