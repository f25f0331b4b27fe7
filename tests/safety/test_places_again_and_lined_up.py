"""Round 108: a high or water place visited again and again, whether a fitting holds a person's
weight, someone's medicine put away tablet by tablet, pills lined up for a day, tape for the car
windows and a night set, messages set to go out "after I'm gone" — and the rules' own false alarms
mended: a pet playing with string, a game where you jump off buildings, antique razors, someone
online told as news."""

from __future__ import annotations

import pytest

from lingxi.safety import default_assessor
from lingxi.safety.levels import Level


@pytest.mark.parametrize(("text", "level"), [
    ("水库那边我一个人去转了好几趟了", Level.PLAN),
    ("衣柜杆能不能承受一个成年人的体重", Level.PLAN),
    ("我把我爸的安眠药一粒一粒藏起来了", Level.PLAN),
    ("my sleeping pills are counted out for saturday", Level.PLAN),
    ("got towels for the car windows, tomorrow night is when", Level.PLAN),
    ("my letters are timed to go out the morning after I'm gone", Level.PLAN),
])
def test_new_wordings_of_risk_are_read(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level


@pytest.mark.parametrize("text", [
    "天台那边我去晒了三次被子了",
    "门框能承受一个人的重量吗，我想装个引体向上杆",
    "奶奶的药我一颗一颗收起来了，怕她吃错",
    "my dad's pills are laid out for friday in his weekly organiser",
    "bought duct tape for the car windows because the rain leaks in, this weekend I'll fix it",
    "my cat wrapped the yarn around its neck while playing, silly thing",
    "my uncle collects antique guns, he bought a new one and wants to use it for a display",
])
def test_chores_care_and_hobbies_are_not_alarms(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE
