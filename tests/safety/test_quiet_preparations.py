"""Round 95: what the rules missed on the spent sets — strips of a medicine swallowed, the garage
door down with the engine running, affairs put in order quietly, lethality questions, a cut
deeper than before, words meant in earnest — and their everyday twins."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text, level", [
    ("半小时前吞了两盒布洛芬", Level.IMMINENT),
    ("I just swallowed three strips of Zoloft", Level.IMMINENT),
    ("车库门关好了，车一直发动着，我在后座", Level.IMMINENT),
    ("the blade went in deeper than last time and it will not stop", Level.IMMINENT),
    ("药都吃光了，再见了大家", Level.IMMINENT),
    ("which storey is high enough, I'm asking for me", Level.PLAN),
    ("deleted all my accounts and scheduled texts for friday morning", Level.PLAN),
    ("平时开的安眠药我都少吃半片，攒了快三个月", Level.PLAN),
    ("他要是不要我了，我就去死，我是认真的", Level.ACTIVE),
    ("I keep imagining swallowing all my pills", Level.ACTIVE),
])
def test_the_callers_own_preparation_or_intent_is_heard(text: str, level: Level) -> None:
    assert rules_level(text) >= level


@pytest.mark.parametrize("text", [
    "我是护士，今天有个患者吞了一整瓶药，抢救过来了",
    "这根绳子承重够不够挂一个吊椅",
    "I gave away my bike and cancelled my phone contract, moving to Berlin next month",
    "小时候的玩具都送给侄子了，反正我长大了也用不上了",
    "煤气打开要多久才能点着火，我家灶老打不着",
    "we took two boxes of vitamins on the trip",
    "is the 20th floor high enough to see the fireworks",
])
def test_their_everyday_twins_are_not(text: str) -> None:
    assert rules_level(text) <= Level.DISTRESS
