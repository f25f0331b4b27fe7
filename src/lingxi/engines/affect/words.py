"""How the words feel: a zh/en emotion lexicon with negation and intensifiers.

Chinese has no spaces, so words are found as substrings and negation is looked for in the few
characters before; English is matched on word boundaries, negation within three words before.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from lingxi.text import is_han

FEELINGS = ("happy", "sad", "angry", "anxious", "tired")
# Where each label sits in valence/arousal space (Russell's circumplex, roughly).
CENTRES: dict[str, tuple[float, float]] = {
    "neutral": (0.0, 0.0), "happy": (0.8, 0.6), "sad": (-0.7, -0.4), "angry": (-0.7, 0.8),
    "anxious": (-0.5, 0.6), "tired": (-0.3, -0.7)}
_ZH_WINDOW = 4  # characters before a word where a negator or intensifier still applies
_EN_WINDOW = 3  # words before
_ZH_AFTER = ("极了", "坏了", "死了", "得很", "得不行", "透了")  # 开心极了, 累坏了
_CLAUSE_END = re.compile(r"[，。！？；,.!?;…]")
_BOOST = 1.5
_SURE = 0.5  # a label needs at least this much weight to be said


@dataclass(frozen=True, slots=True)
class WordFeeling:
    label: str  # "neutral" when the words say nothing of how the caller feels
    valence: float
    arousal: float
    weight: float  # how much the words said (0: nothing)
    negated: float = 0.0  # how much the words denied ("我不难过": the weight of 难过)


@dataclass(frozen=True, slots=True)
class _Entry:
    label: str
    word: str
    weight: float
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    entries: tuple[_Entry, ...]
    zh_negators: tuple[str, ...]
    en_negators: tuple[str, ...]
    zh_intensifiers: tuple[str, ...]
    en_intensifiers: tuple[str, ...]


@functools.cache
def _lexicon() -> _Lexicon:
    raw = yaml.safe_load(resources.files("lingxi.engines.affect").joinpath(
        "data/lexicon.yaml").read_text("utf-8"))
    entries: list[_Entry] = []
    for label, by_lang in raw["labels"].items():
        if label not in FEELINGS:
            raise ValueError(f"affect lexicon: unknown label {label!r}")
        for lang, words in by_lang.items():
            for word, weight in words.items():
                text = str(word)
                pattern = (re.compile(re.escape(text)) if lang == "zh" else
                           re.compile(rf"\b{re.escape(text.strip())}\b", re.I))
                entries.append(_Entry(label, text, float(weight), pattern))
    # Longest first, so "太好了" claims its span before "好" could.
    entries.sort(key=lambda e: len(e.word), reverse=True)
    return _Lexicon(tuple(entries), tuple(raw["negators"]["zh"]), tuple(raw["negators"]["en"]),
                    tuple(raw["intensifiers"]["zh"]), tuple(raw["intensifiers"]["en"]))


def feeling_of(text: str) -> WordFeeling:
    """The feeling the words carry, with negation ("不开心" is sad, "没生气" neutral)."""
    lex = _lexicon()
    scores = dict.fromkeys(FEELINGS, 0.0)
    taken = [False] * len(text)
    negated = 0.0
    for entry in lex.entries:
        for match in entry.pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            han = is_han(entry.word[0])
            clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)),
                               default=0)  # negation never reaches across a comma
            before = (text[max(clause_start, start - _ZH_WINDOW):start] if han
                      else _words_before(text[clause_start:start]))
            after = text[end:end + 3]
            weight = entry.weight
            if _has(before, lex.zh_intensifiers if han else lex.en_intensifiers, han) or (
                    han and after.startswith(_ZH_AFTER)):
                weight *= _BOOST
            if _has(before, lex.zh_negators if han else lex.en_negators, han):
                negated += weight
                # "not happy" is sad; "not angry", "not tired" are nothing in particular.
                if entry.label == "happy":
                    scores["sad"] += weight * 0.8
                continue
            scores[entry.label] += weight
    label, best = max(scores.items(), key=lambda kv: kv[1])
    if best < _SURE:
        return WordFeeling("neutral", 0.0, 0.0, best, negated)
    valence, arousal = CENTRES[label]
    sure = min(1.0, best / 1.5)
    return WordFeeling(label, valence * sure, arousal * sure, best, negated)


def _words_before(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text)[-_EN_WINDOW:]).lower()


def _has(before: str, cues: tuple[str, ...], han: bool) -> bool:
    if han:
        return any(cue in before for cue in cues)
    words = before.split()
    return any(cue in words or (cue.startswith("n'") and any(w.endswith(cue) for w in words))
               for cue in cues)
