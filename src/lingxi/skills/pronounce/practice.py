"""Where a practice stands, derived from the conversation (nothing stored): the word being
practised is the one Lingxi's last reply asked for, and the last score of each word is the one
Lingxi said earlier in the call."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lingxi.interfaces import ChatMessage
from lingxi.skills.pronounce.feedback import coach_data
from lingxi.text import has_han, length_in_words

Kind = Literal["request", "start", "next", "again", "attempt"]
_QUOTED = re.compile(r"[「“]([A-Za-z][A-Za-z' ]*)[」”]")
# The score given this time ("「think」上次 62 分，这次 85 分" → 85), not the earlier one.
_SCORE = re.compile(r"[「“]([A-Za-z][A-Za-z' ]*)[」”][^「“]*?"
                    r"(?:这次 ?(\d{1,3}) ?分|(\d{1,3}) this time)")
_LONGEST_REQUEST = 20  # Han characters or words
_LONGEST_ATTEMPT = 8  # words: an attempt is the practised word or phrase, said
_LONGEST_PHRASE = 6  # words one practice may be about


@dataclass(frozen=True, slots=True)
class Step:
    kind: Kind
    word: str = ""  # the word or phrase to practise ("" for the coach to pick)


def _any(patterns: Sequence[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def practised(history: Sequence[ChatMessage]) -> str | None:
    """The word Lingxi's last reply asked the caller to say, if it was a practice reply."""
    last = next((m for m in reversed(history) if m.role == "assistant"), None)
    if last is None:
        return None
    d = coach_data()
    asks = [d.lines[lang][key] for lang in ("zh", "en") for key in ("your_turn", "try_again",
                                                                     "good", "unclear")]
    said = last.text
    found = _QUOTED.findall(said)
    if not found or not any(a.split("{word}")[0].strip() in said for a in asks):
        return None
    return str(found[-1])


def practice_language(history: Sequence[ChatMessage], default: str) -> str:
    """The language the practice is held in: that of Lingxi's last reply (what the recogniser
    makes of a word said in English says nothing about the caller's language)."""
    last = next((m for m in reversed(history) if m.role == "assistant"), None)
    if last is None:
        return default
    return "zh" if has_han(last.text) else "en"


def last_score(history: Sequence[ChatMessage], word: str) -> int | None:
    """The score Lingxi last gave `word` in this call."""
    for message in reversed(history):
        if message.role != "assistant":
            continue
        scores = [int(zh or en) for w, zh, en in _SCORE.findall(message.text)
                  if w.lower() == word.lower()]
        if scores:
            return scores[-1]
    return None


def requested(text: str) -> str | None:
    """The word or phrase in "教我读 think" / "how do I say three", if asked for."""
    if length_in_words(text) > _LONGEST_REQUEST:
        return None
    d = coach_data()
    for pattern in d.request:
        match = pattern.search(text.strip())
        if not match or not match.group(1).strip():
            continue
        phrase = match.group(1).strip()
        words = phrase.lower().split()
        # "how do I say no to my boss" asks for advice, not for a pronunciation.
        if len(words) > _LONGEST_PHRASE or d.not_a_word.intersection(words):
            return None
        return phrase
    return None


def step(text: str, history: Sequence[ChatMessage], *, has_audio: bool) -> Step | None:
    """What this turn is to the coach, or None when it is not the coach's turn at all."""
    d = coach_data()
    word = requested(text)
    if word is not None:
        return Step("request", word)
    if length_in_words(text) <= _LONGEST_REQUEST and _any(d.start, text):
        return Step("start")
    current = practised(history)
    if current is None or _any(d.stop, text):
        return None
    if _any(d.next, text):
        return Step("next", current)
    if _any(d.again, text):
        return Step("again", current)
    # An attempt: spoken, and words only in English (whatever the recogniser made of them).
    if has_audio and text and not has_han(text) and length_in_words(text) <= _LONGEST_ATTEMPT:
        return Step("attempt", current)
    return None


def next_word(current: str, turns: int) -> str:
    """The practice list's word after `current` (or one picked by the turn count)."""
    words = coach_data().words
    if current.lower() in words:
        return words[(words.index(current.lower()) + 1) % len(words)]
    return words[turns % len(words)]
