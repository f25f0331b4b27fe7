"""Round 107: a mind full of how to end it, drawn into the water, how much charcoal or how long in
cold water, mixed cleaners "to try", which floor "to be sure" — and the rules' own false alarms
mended: a fan for a garage's exhaust, a relative's running joke."""

from __future__ import annotations

import pytest

from lingxi.safety import default_assessor
from lingxi.safety.levels import Level


@pytest.mark.parametrize(("text", "level"), [
    ("最近满脑子都是怎么了断", Level.ACTIVE),
    ("每次望着江水就想跳下去", Level.ACTIVE),
    ("烧炭的话，一个小房间大概要用多少斤", Level.PLAN),
    ("海水这么冷，跳下去多久就会失去意识", Level.PLAN),
    ("漂白水和洁厕灵混在一起能不能把人毒死，我想关在浴室里试试", Level.PLAN),
    ("how many floors do you need to fall from to be sure", Level.PLAN),
])
def test_new_wordings_of_risk_are_read(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level


@pytest.mark.parametrize("text", [
    "车库里车发动着，要不要装个排风扇",
    "我爸说我再考不好他就跳楼，他是开玩笑的，每次都这么说",
    "夏天看着河水就想跳进去游泳",
    "烧烤的话，四个人要几斤炭",
    "冬泳的人泡在冰水里多久会失去意识，我们培训要讲",
    "what floor do I need for the fire escape drill",
])
def test_chores_jokes_and_safety_are_not_alarms(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE
