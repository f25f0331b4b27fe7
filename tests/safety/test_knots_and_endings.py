"""Round 100: a hanging knot asked for, the means for a "final nap", a train due at the tracks, a
last post with one's things shared out, wanting to ride into the river — heard; a goodbye to an old
car, a course of medicine finished, a last day at the company, "overdosed" on a show — not."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text, level", [
    ("which knot would hold a person's weight from the loft hatch", Level.PLAN),
    ("bought the pills for my permanent nap, saturday", Level.PLAN),
    ("on the tracks behind the depot, the freight is due in ten minutes", Level.IMMINENT),
    ("最后一次发动态了，东西我全都分配好了", Level.PLAN),
    ("每天开车过桥都好想直接开进江里", Level.ACTIVE),
])
def test_a_way_or_an_act_is_heard(text: str, level: Level) -> None:
    assert rules_level(text) >= level


@pytest.mark.parametrize("text", [
    "this is goodbye to my trusty old laptop, the new one arrived",
    "药都吃完了，病也好了，明天出院",
    "明天是我在单位最后一天，跟大家说再见啦",
    "overdosed on true crime podcasts this week, now I'm paranoid",
    "what knot holds a hammock to a tree",
])
def test_their_everyday_twins_are_not(text: str) -> None:
    assert rules_level(text) <= Level.DISTRESS
