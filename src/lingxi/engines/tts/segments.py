"""From reply text to what each voice says: normalise, cut into pieces, split by script.

"我们来读 think 这个词" becomes three pieces: Chinese, English, Chinese. Pieces end at
punctuation too, so the first audio comes after the first clause, not the whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from lingxi.engines.tts.norm_en import normalize_en
from lingxi.engines.tts.norm_zh import normalize_zh
from lingxi.text import HAN

Lang = Literal["zh", "en"]
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f']+")
# Clause ends: Chinese punctuation always, English only at sentence ends (piper phrases
# commas well by itself), and line breaks.
_BREAK = re.compile(r"(?<=[。！？；：，、!?;…\n])|(?<=[.](?=\s))")
_SENTENCE_END = "。！？!?.…\n；;"


@dataclass(frozen=True, slots=True)
class Piece:
    lang: Lang
    text: str
    pause_ms: float  # silence after it (a clause or sentence break)


def primary_language(text: str) -> Lang:
    """Chinese when Han characters are at least as many as Latin words."""
    han = len(HAN.findall(text))
    return "zh" if han and han >= len(_LATIN_WORD.findall(text)) else "en"


def normalize(text: str, lang: Lang | None = None) -> str:
    lang = lang or primary_language(text)
    return normalize_zh(text) if lang == "zh" else normalize_en(text)


def _script(ch: str) -> Lang | None:
    if HAN.match(ch):
        return "zh"
    if _LATIN.match(ch):
        return "en"
    return None


def split_script(text: str) -> list[tuple[Lang, str]]:
    """Runs of Han → zh, Latin → en; spaces and punctuation stay with the run before."""
    runs: list[tuple[Lang, str]] = []
    lead = ""
    for ch in text:
        lang = _script(ch)
        if lang is None or (runs and runs[-1][0] == lang):
            if runs:
                runs[-1] = (runs[-1][0], runs[-1][1] + ch)
            else:
                lead += ch
            continue
        runs.append((lang, (lead if not runs else "") + ch))
    return [(lang, run.strip()) for lang, run in runs if run.strip()]


def _pause_after(clause: str) -> float:
    tail = clause.rstrip()[-1:] if clause.strip() else ""
    if tail in _SENTENCE_END:
        return 250.0
    return 120.0 if tail else 0.0


def plan(text: str) -> list[Piece]:
    """The pieces to synthesise, in order; the last has no pause after it."""
    pieces: list[Piece] = []
    for clause in _BREAK.split(normalize(text)):
        runs = split_script(clause)
        for i, (lang, run) in enumerate(runs):
            pause = _pause_after(clause) if i == len(runs) - 1 else 0.0
            pieces.append(Piece(lang, run, pause))
    if pieces:
        pieces[-1] = Piece(pieces[-1].lang, pieces[-1].text, 0.0)
    return pieces
