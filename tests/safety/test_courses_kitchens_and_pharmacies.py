"""Round 135: a first-aid or negotiation course asking how to dress a cut or talk someone down, a
knife that might slip while opening oysters, a friend's threat over overtime followed by milk tea,
a pharmacy worker, a medical student learning lethal doses and whether sleeping pills are habit
forming are not risk; a cut that will not stop bleeding and a worker's own stockpile still are."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text", [
    "急救课上练习 割腕的伤员怎么止血",
    "谈判专家培训 如何劝说站在天台边的人",
    "切芒果的时候小心别被刀割到手",
    "同事说要是再开会他就去跳楼 结果转头就点了外卖",
    "我是药店的 有个大叔一次买了好几盒安眠药",
    "我是护理学生 在背药物的致死剂量",
    "安眠药吃久了会不会上瘾",
])
def test_courses_kitchens_and_pharmacies_are_not_risk(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE


@pytest.mark.parametrize(("text", "least"), [
    ("我刚割了手腕 血止不住 要怎么包扎", Level.IMMINENT),
    ("我是药店的 安眠药我偷偷攒了一大把", Level.PLAN),
    ("吃安眠药死的话会不会很痛苦", Level.PLAN),
])
def test_a_bleeding_cut_and_a_workers_stockpile_are_still_heard(text: str, least: Level) -> None:
    assert rules_level(text) >= least
