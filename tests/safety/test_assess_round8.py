"""Round 8's narrower rules: harmless turns that the phrase rules used to flag (a kitchen cut on
a finger, the last call before a trip, goodbyes when leaving a job, typed "kms" over a small
mishap, "the last time we'll talk for a while" after a flight), each beside the risky sentence
on the same words that must still be heard."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, RiskTracker, default_assessor


def rules_level(*turns: str) -> Level:
    """The call's level after these turns, by the phrase rules alone."""
    tracker = RiskTracker()
    level = Level.NONE
    for turn in turns:
        level = tracker.observe(turn).call_level
    return level


@pytest.mark.parametrize("turns", [
    ("切土豆的时候菜刀把手指割了个口子",),
    ("手指头被削皮刀划了个小口，贴了创可贴",),
    ("I'm off to Lisbon in the morning, this is my last call before the flight",),
    ("packed up my desk at the office and said my goodbyes, the new job starts monday",),
    ("kms, I left my phone on the bus again",),
    ("ugh kms my laptop died before I saved the assignment",),
    ("I'm boarding in an hour", "this is the last time we'll talk for a few weeks",
     "I'll ring you when I get back"),
])
def test_a_kitchen_cut_a_trip_a_job_and_a_mishap_stay_below_passive(
        turns: tuple[str, ...]) -> None:
    assert rules_level(*turns) < Level.PASSIVE


@pytest.mark.parametrize(("text", "level"), [
    ("我拿刀片割了手腕", Level.ACTIVE),
    ("又用小刀划自己的胳膊了", Level.ACTIVE),
    ("this is my last call, goodbye", Level.PLAN),
    ("I've said my goodbyes to everyone, it's tonight", Level.PLAN),
    ("kms, I mean it, I want to die", Level.ACTIVE),
    ("this is the last time you'll hear from me", Level.PLAN),
])
def test_the_same_words_in_earnest_are_still_heard(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level
