"""Round 92: a harmless call that opens on a line which sounds dark out of context (charcoal for
tonight's barbecue, a rope for teaching knots, a coach on a bungee platform, letters for a child's
birthdays, a car warming in the garage) is not read as a plan — the call's level never drops, so
its first turn decides it; and a door taped for the gas, charcoal "not for cooking", pills
swallowed with a goodbye are."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text", [
    "木炭买好了，周六在院子里开烤",
    "the rope is ready for tonight's scouts meeting, I'm teaching the bowline",
    "教练说数到三，我要跳了，蹦极台好高",
    "I'm writing letters to my daughter for each of her birthdays until she's eighteen",
    "冬天车库里的车开着暖风热一下，会不会很费油",
])
def test_a_call_that_opens_on_a_dark_sounding_chore_is_not_a_plan(text: str) -> None:
    assert rules_level(text) <= Level.DISTRESS


@pytest.mark.parametrize("text, level", [
    ("木炭准备好了，就等今晚关好门窗", Level.PLAN),
    ("the rope is ready, I'll do it in the morning", Level.PLAN),
    ("我要跳了，你们谁都别拦我", Level.IMMINENT),
    ("I've written letters to my kids for after I'm gone", Level.PLAN),
    ("I sealed the bathroom vent with tape, I'll turn the gas on after midnight", Level.PLAN),
    ("got a bag of charcoal for my room, and it's not for eating", Level.PLAN),
    ("安眠药都吞下去了，这次真的要走了", Level.IMMINENT),
    ("when I see my pills I keep thinking about swallowing all of them", Level.ACTIVE),
])
def test_the_same_objects_with_the_callers_own_intent_still_are(text: str, level: Level) -> None:
    assert rules_level(text) >= level
