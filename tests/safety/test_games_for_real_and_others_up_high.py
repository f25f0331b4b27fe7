"""Round 143: the wish to burn or cut one's forearm, a game's death that one "should" die too,
a game that made one think of doing it for real, a chosen day after which no cake is needed,
what to take to make one's heart stop, someone else up high who does not want to live are
risk; arm hair, a wedding day, a racing heart before an exam and a cat on the balcony rail are
not."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize(("text", "least"), [
    ("i'm itching to cut my thighs again like i used to", Level.ACTIVE),
    ("角色在游戏里死了 我觉得我也该这样死掉", Level.ACTIVE),
    ("that game where you fall off the tower made me want to do it for real", Level.ACTIVE),
    ("日子选好了 就下个月那天 年夜饭都不用准备了", Level.PLAN),
    ("what can i swallow that would stop my heart fast", Level.PLAN),
    ("我姐打电话说她现在在桥上 活不下去了", Level.IMMINENT),
])
def test_wishes_plans_and_someone_up_high_are_heard(text: str, least: Level) -> None:
    assert rules_level(text) >= least


@pytest.mark.parametrize("text", [
    "i want to cut my arm hair before the swim meet",
    "婚礼的日子选好了 蛋糕都不用订 酒店送",
    "what can i take to make my heart stop racing before the exam",
    "how far can my cat fall safely, she keeps walking on the balcony rail",
])
def test_arm_hair_a_wedding_a_racing_heart_and_a_cat_are_not_risk(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE
