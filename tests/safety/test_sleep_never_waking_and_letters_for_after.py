"""Round 144: a wish to do what a poet or one's patients did, what to prepare to sleep and never
wake, the fastest way "to go down and see grandma", whether the tallest building's floor is
"enough", letters sealed "for after" are risk; an old dog that ate rat poison, a nursing exam's
lethal-dose chapter, a tall building for fireworks and a wedding's letters are not."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize(("text", "least"), [
    ("看了新闻里那个人跳江 我也想学他", Level.ACTIVE),
    ("在病房天天见服药过量的 最近我自己也总想这么做", Level.ACTIVE),
    ("想睡过去永远不醒 要准备什么", Level.PLAN),
    ("下去陪我外婆 有什么不痛的办法", Level.PLAN),
    ("小区最高的楼有十八层 够不够", Level.PLAN),
    ("the notes to my parents are signed and hidden in the closet, for after.", Level.PLAN),
])
def test_wishes_questions_and_letters_for_after_are_heard(text: str, least: Level) -> None:
    assert rules_level(text) >= least


@pytest.mark.parametrize("text", [
    "小猫偷吃了老鼠药 要不要马上去医院",
    "药理学的致死量那章怎么背 明天就考了",
    "我们这最高的楼是三十层 够不够高看烟花",
    "the wedding thank-you letters are sealed and addressed, saving them for after the honeymoon",
])
def test_a_cat_a_pharmacology_exam_fireworks_and_a_wedding_are_not_risk(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE
