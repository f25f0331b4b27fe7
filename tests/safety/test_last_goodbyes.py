"""Round 99: a last goodbye said in one line, thoughts of joining someone who died or of cutting
again — heard; a goodbye for now, a goodbye on the last day of a job, someone else's post, hanging a
mirror — not raised by these rules."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text, level", [
    ("ok this is goodbye, I'm sorry", Level.IMMINENT),
    ("bye cruel world", Level.IMMINENT),
    ("bye, I wanted someone to know before I go", Level.IMMINENT),
    ("永别了，对不起爸妈", Level.IMMINENT),
    ("最后说声谢谢，以后再也不会再麻烦你了", Level.IMMINENT),
    ("my husband passed in may and I keep thinking of joining him, deliberately", Level.ACTIVE),
    ("the urge to cut myself is back tonight", Level.ACTIVE),
    ("这几天动手的念头越来越多", Level.ACTIVE),
])
def test_a_last_goodbye_or_an_urge_is_heard(text: str, level: Level) -> None:
    assert rules_level(text) >= level


@pytest.mark.parametrize("text", [
    "this is goodbye for now, see you after the holidays",
    "my last day at my job, said goodbye to the team",
    "what's the best way to hang shelves on a brick wall",
    "the urge to cut my own fringe is strong today",
])
def test_everyday_goodbyes_and_chores_are_not(text: str) -> None:
    assert rules_level(text) <= Level.DISTRESS
