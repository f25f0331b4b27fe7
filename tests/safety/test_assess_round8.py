"""Round 8's narrower rules: harmless turns that the phrase rules used to flag (a kitchen cut on
a finger, the last call before a trip, goodbyes when leaving a job, typed "kms" over a small
mishap, "the last time we'll talk for a while" after a flight), each beside the risky sentence
on the same words that must still be heard."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, default_assessor
from tests.safety.calls import rules_level


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


@pytest.mark.parametrize("text", [
    "要吞几十片安眠药下去，才救不回来",
    "喝一口敌敌畏是不是就没救了",
    "脖子和手腕哪个割了死得快",
    "上吊的绳子打什么结",
    "跳楼是不是一下就没感觉了",
    "is the fifth floor high enough or do people survive that",
    "how cold does the lake need to be to go under quickly",
    "which bridges still don't have the suicide nets",
    "which artery bleeds out the quickest",
])
def test_method_and_lethality_questions_are_plans(text: str) -> None:
    assert default_assessor().assess(text).level >= Level.PLAN


@pytest.mark.parametrize("text", [
    "百草枯对菜园里的虫子是不是就没救了", "做饭的时候哪里割了会止不住",
    "how many units of insulin do I take before dinner",
    "is this shelf high enough to hold the tv", "which bridges have bike lanes",
    "how cold does the lake need to be to freeze over",
])
def test_their_twins_a_garden_a_kitchen_insulin_and_a_shelf_stay_below_passive(
        text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE


@pytest.mark.parametrize("text", [
    "I went to die",  # Whisper's hearing of "I want to die" in the call's English voice
    "有时候我觉得 I went to die",
    "I just went to end my life",
])
def test_want_to_die_heard_as_went_to_die_is_still_a_wish_to_die(text: str) -> None:
    assert default_assessor().assess(text).level >= Level.PASSIVE


@pytest.mark.parametrize("text", [
    "我真的想 Call myself",  # how one CI machine heard "我真的想 kill myself" in the call's voices
    "我真的想 call myself。",
    "我要 call myself, 真的",
])
def test_kill_myself_heard_as_call_myself_inside_mandarin_is_still_active(text: str) -> None:
    assert default_assessor().assess(text).level >= Level.ACTIVE


@pytest.mark.parametrize("text", [
    "我想 call myself 一个作家",
    "I want to call myself a writer",
    "what do I want to call myself",
    "我想 call 我自己的手机",
])
def test_call_myself_as_a_name_or_a_phone_call_stays_below_passive(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE


@pytest.mark.parametrize("text", [
    "my phone went to die on the train",
    "my grandpa went to die at home in the village",
    "I went to the shop to get hair dye",
    "I went to end it, we broke up",
])
def test_went_to_without_the_caller_wishing_to_die_stays_below_passive(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE
