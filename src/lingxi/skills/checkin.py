"""The gentle check-in (issue 21): when the caller's mood timeline shows a slow slide, the next
call asks after them in the companion's own voice, says plainly what was noticed, offers the
region's support line and, if they want, a two-question self-check by voice (the PHQ-2's
questions, answered in days). It never labels the caller, and it comes after safety: at any
risk above distress the router's safety plan takes the turn first, and this skill stands back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from lingxi.safety.policy import default_policy
from lingxi.skills.mood import command, mood_words
from lingxi.turn.model import MoodAccess, Turn
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill

_QUIET = ("none", "distress")  # above these, safety speaks (and this skill does not)
_HIGH = 3  # a self-check total (0-6) from which talking to a professional is suggested


def support_line(lang: str, region: str | None = None) -> str:
    """The region's first crisis line, as it is said ("全国心理援助热线 12356")."""
    policy = default_policy()
    lines = policy.hotlines(policy.region_for(lang, region), "crisis")
    return f"{lines[0].name} {lines[0].spoken}" if lines else ""


def score(text: str) -> int | None:
    """An answer in days, scored 0-3 (None: not understood)."""
    lowered = text.lower()
    for points, phrases in mood_words().answers:
        if any(p in lowered for p in phrases):
            return points
    return None


class CheckIn(Skill):
    name = "checkin"

    def claim(self, turn: Turn) -> Claim | None:
        mood = turn.mood
        if mood is None or turn.risk not in _QUIET or command(turn.text) is not None:
            return None
        words = mood_words()
        if mood.selfcheck is not None:
            return Claim(0.95, "an answer to the self-check")
        if words.said("selfcheck", turn.text):
            return Claim(0.9, "asked for the self-check")
        if mood.due() is not None:
            return Claim(0.55, "a gentle check-in the mood trend calls for")
        return None

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        mood, lang, words = turn.mood, turn.language, mood_words()
        assert mood is not None
        if mood.selfcheck is not None:
            yield Say(_next_question(mood, turn.text, lang, turn.region))
        elif words.said("selfcheck", turn.text):
            mood.selfcheck = []
            yield Say(words.line("question1", lang))
        else:
            trend = mood.due()
            mood.checked_in()
            noticed = trend.sentence(lang) if trend is not None else ""
            yield Say(words.line("checkin", lang, noticed=noticed,
                                 line=support_line(lang, turn.region)))


def _next_question(mood: MoodAccess, text: str, lang: str, region: str | None) -> str:
    words = mood_words()
    answers = mood.selfcheck or []
    if words.said("quit", text):
        mood.selfcheck = None
        return words.line("quit", lang)
    points = score(text)
    if points is None:
        return words.line("again", lang)
    answers = [*answers, points]
    if len(answers) < 2:
        mood.selfcheck = answers
        return words.line("question2", lang)
    mood.selfcheck = None
    if sum(answers) >= _HIGH:
        return words.line("result_high", lang, line=support_line(lang, region))
    return words.line("result_low", lang)
