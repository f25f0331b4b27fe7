"""What the coach says after an attempt: the score (and the last one, when there was one), then
the one most important point to fix, in the caller's language: what was heard, how to fix it."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from lingxi.interfaces import Assessment, PhoneScore
from lingxi.memory.practice_store import LastPractice


@dataclass(frozen=True, slots=True)
class CoachData:
    request: tuple[re.Pattern[str], ...]
    start: tuple[re.Pattern[str], ...]
    next: tuple[re.Pattern[str], ...]
    again: tuple[re.Pattern[str], ...]
    stop: tuple[re.Pattern[str], ...]
    words: tuple[str, ...]
    not_a_word: frozenset[str]
    lines: dict[str, dict[str, str]]  # language → key → line
    names: dict[str, str]
    tips: dict[str, dict[str, str]]  # language → "TH>S" → tip


@functools.cache
def coach_data() -> CoachData:
    raw: dict[str, Any] = yaml.safe_load(resources.files("lingxi.skills").joinpath(
        "data/pronounce.yaml").read_text("utf-8"))

    def patterns(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.I) for lang in ("zh", "en") for p in raw[key][lang])

    lines = {lang: dict(raw["lines"][lang]) for lang in ("zh", "en")}
    if lines["zh"].keys() != lines["en"].keys():
        raise ValueError("skills/data/pronounce.yaml: lines in zh and en must match")
    return CoachData(patterns("request"), patterns("start"), patterns("next"),
                     patterns("again"), patterns("stop"), tuple(raw["words"]),
                     frozenset(raw["not_a_word"]), lines,
                     dict(raw["names"]), {lang: dict(raw["tips"][lang]) for lang in ("zh", "en")})


def _lang(language: str) -> str:
    return "zh" if language == "zh" else "en"


def line(language: str, key: str, **fields: object) -> str:
    return coach_data().lines[_lang(language)][key].format(**fields)


def _name(phone: str) -> str:
    return coach_data().names.get(phone, phone.lower())


def tip(phone: PhoneScore, language: str) -> str:
    """How to fix one wrong phone: what was heard, and what to do with the mouth."""
    tips = coach_data().tips[_lang(language)]
    heard = phone.heard or ""
    if heard == "":
        key = "->"
    elif " " in heard:
        key = "+>"
    else:
        key = f"{phone.phone}>{heard}" if f"{phone.phone}>{heard}" in tips else "*"
    return tips[key].format(phone=_name(phone.phone), heard=_name(heard))


def first_point(assessment: Assessment) -> PhoneScore | None:
    """The one point to work on now: the worst-scored wrong phone (first when tied)."""
    wrong = [p for _, p in assessment.wrong]
    return min(wrong, key=lambda p: p.score) if wrong else None


def when(language: str, days: int) -> str:
    """How long ago an earlier call's practice was ("昨天", "3 days ago")."""
    if days <= 0:
        return line(language, "today")
    return line(language, "yesterday") if days == 1 else line(language, "days_ago", days=days)


def scored(language: str, word: str, score: int, before: LastPractice | None) -> str:
    """The score, with the last one when the word was practised before."""
    if before is None:
        return line(language, "score", word=word, score=score)
    if before.this_call:
        return line(language, "progress", word=word, score=score, before=before.score)
    return line(language, "progress_earlier", word=word, score=score, before=before.score,
                when=when(language, before.days_ago))


def feedback(assessment: Assessment, language: str, before: LastPractice | None) -> list[str]:
    """The lines said after an attempt, before the model reading: score, then one tip."""
    word, score = assessment.text, assessment.score
    if not assessment.heard_speech:
        return [line(language, "unclear", word=word)]
    said = [scored(language, word, score, before)]
    point = first_point(assessment)
    said.append(tip(point, language) if point is not None
                else line(language, "good", word=word))
    return said


def mispronounced(assessment: Assessment) -> list[str]:
    return [p.phone for _, p in assessment.wrong]


def as_json(assessment: Assessment, language: str) -> dict[str, object]:
    """What `lingxi pronounce` prints."""
    point = first_point(assessment)
    return {
        "text": assessment.text, "score": assessment.score,
        "heard_speech": assessment.heard_speech,
        "words": [{"word": w.word, "score": w.score,
                   "phones": [{"phone": p.phone, "score": p.score, "wrong": p.wrong,
                               "heard": p.heard, "start_ms": round(p.start_ms),
                               "end_ms": round(p.end_ms)} for p in w.phones]}
                  for w in assessment.words],
        "mispronounced": mispronounced(assessment),
        "heard": [p.heard for _, p in assessment.wrong],
        "tip": tip(point, language) if point is not None else None,
    }
