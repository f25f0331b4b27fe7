"""The mood timeline's consent, in a call (issue 21): asked once, plainly, at a greeting;
"记录我的心情" / "track my mood" turns it on, "别记我的心情了" / "stop tracking my mood" turns it
off and deletes the timeline (the database and this call's memory). A minor's call never
asks, unless the operator's profile allows it. Words in `data/mood.yaml`."""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from lingxi.memory.themes import themes_in
from lingxi.text import length_in_words
from lingxi.turn.model import MoodAccess, Turn
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill

_ASK_WITHIN = 3  # user turns: the question comes at a greeting near the start of a call
_LONGEST = 12  # Han characters or words of a greeting


@dataclass(frozen=True, slots=True)
class MoodWords:
    patterns: dict[str, tuple[re.Pattern[str], ...]]
    lines: dict[str, dict[str, str]]
    answers: tuple[tuple[int, tuple[str, ...]], ...]  # (score, phrases), highest first

    def said(self, key: str, text: str) -> bool:
        return any(p.search(text.strip()) for p in self.patterns[key])

    def line(self, key: str, lang: str, **fill: str) -> str:
        text = self.lines[key]["zh" if lang == "zh" else "en"]
        return text.format(**fill) if fill else text


@functools.cache
def mood_words() -> MoodWords:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("lingxi.skills").joinpath("data/mood.yaml").read_text("utf-8"))
    patterns = {key: tuple(re.compile(p, re.IGNORECASE) for lang in ("zh", "en")
                           for p in by_lang[lang])
                for key, by_lang in raw["patterns"].items()}
    answers = tuple(sorted(((int(k), tuple(str(p).lower() for p in v))
                            for k, v in raw["answers"].items()), reverse=True))
    return MoodWords(patterns, raw["lines"], answers)


def command(text: str) -> str | None:
    """"stop" or "start" when the caller says so about their mood timeline."""
    words = mood_words()
    if words.said("stop", text):
        return "stop"
    if words.said("start", text):
        return "start"
    return None


def answer(text: str) -> bool | None:
    """The caller's answer to the consent question: yes, no, or None (not an answer)."""
    words = mood_words()
    if words.said("no", text):
        return False
    if words.said("yes", text):
        return True
    return None


def _good_moment(turn: Turn, mood: MoodAccess) -> bool:
    """A greeting near the start of a call, from someone who sounds all right: never when
    they are low, mention a screening theme or are at any risk, and never in place of asking
    after what they told us last time (an open thread)."""
    user_turns = sum(1 for m in turn.history if m.role == "user")
    calm = turn.affect is None or turn.affect.label in ("neutral", "happy")
    return (mood.may_ask and user_turns <= _ASK_WITHIN and turn.risk == "none" and calm
            and length_in_words(turn.text) <= _LONGEST and mood_words().said("greeting", turn.text)
            and not turn.open_threads and not themes_in(turn.text))


class MoodConsent(Skill):
    name = "mood"

    def prepare(self, turn: Turn) -> Turn:
        mood = turn.mood
        # Asked once: whatever follows the question that is not an answer leaves it off.
        if mood is not None and mood.asking and turn.text and command(turn.text) is None \
                and answer(turn.text) is None:
            mood.answer(None)
        return turn

    def claim(self, turn: Turn) -> Claim | None:
        mood = turn.mood
        if command(turn.text) is not None:
            return Claim(1.0, "about the mood timeline itself")
        if mood is None:
            return None
        if mood.asking and answer(turn.text) is not None:
            return Claim(0.9, "the answer to the consent question")
        if _good_moment(turn, mood):
            return Claim(0.6, "ask once whether to keep a mood timeline")
        return None

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        words, mood, lang = mood_words(), turn.mood, turn.language
        said = command(turn.text)
        if mood is None or not mood.available:
            yield Say(words.line("unavailable", lang))
        elif said == "stop":
            mood.stop()
            yield Say(words.line("stopped", lang))
        elif said == "start":
            mood.set(True, asked=True)
            yield Say(words.line("agreed", lang))
        elif mood.asking:
            yes = answer(turn.text)
            mood.answer(yes)
            yield Say(words.line("agreed" if yes else "declined", lang))
        else:
            mood.ask()
            yield Say(words.line("ask", lang))
