"""Round 98: a household cleaner drunk, charcoal burning with drowsiness, a poison no hospital can
treat, copying someone in the news, pills down with a goodbye a few words away, "bye, I won't be
back" — heard; a car charging its battery, a racing heart before an exam, a carbon racket, news
heard of a neighbour's poisoning, a joke about an 18th-floor jump over a client's edits — not."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text, level", [
    ("刚才我把半瓶84消毒液喝了", Level.IMMINENT),
    ("charcoal has been burning in here a while now, I feel so drowsy", Level.IMMINENT),
    ("安眠药都吞下去了，谢谢你陪我，再见", Level.IMMINENT),
    ("what poison can't be treated once you've swallowed it", Level.PLAN),
    ("什么农药喝了医院也救不了", Level.PLAN),
    ("再见，我不会再回来了", Level.PLAN),
    ("热搜上那个人，我也想学他", Level.ACTIVE),
])
def test_the_callers_own_act_or_plan_is_heard(text: str, level: Level) -> None:
    assert rules_level(text) >= level


@pytest.mark.parametrize("text", [
    "is it ok to leave the engine running in the garage to charge the battery for a bit",
    "how do I stop my heart pounding before my driving test",
    "钓鱼竿买炭素的好还是玻璃钢的好",
    "听说邻村有人喝了农药，送去洗胃，人救回来了",
    "客户再改一次我就从楼上跳下去，开玩笑的，改就改吧",
    "拜拜，我不会再回来这家店了，服务太差",
])
def test_their_everyday_twins_are_not(text: str) -> None:
    assert rules_level(text) <= Level.DISTRESS
