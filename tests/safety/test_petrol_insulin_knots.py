"""Round 91: methods the rules had no words for — petrol poured or kept ready, the gas left on
unlit, a large dose of insulin injected, a knot that holds a person's weight, starving oneself,
painkillers gathered from several pharmacies, which jump kills surely — and their everyday twins."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text", [
    "我身上已经泼了汽油，打火机就在手里",
    "I've soaked myself in gasoline and I'm holding the lighter",
    "all four burners are turned on and I didn't light any of them",
    "刚才给自己打了整整三支胰岛素，现在手在抖",
    "I injected myself with an entire vial of insulin",
])
def test_an_attempt_under_way_is_an_emergency(text: str) -> None:
    assert rules_level(text) == Level.IMMINENT


@pytest.mark.parametrize("text", [
    "柴油我已经准备好了，藏在床底下",
    "which knot will hold a person's weight from the loft hatch",
    "这个月跑了三家药房，一共买了九盒对乙酰氨基酚",
    "从桥上跳江的话，水冷是不是死得快一点",
])
def test_a_means_made_ready_or_a_lethality_question_is_a_plan(text: str) -> None:
    assert rules_level(text) == Level.PLAN


def test_wanting_to_starve_oneself_is_active() -> None:
    assert rules_level("我打算就这样把自己饿死，不吃了") >= Level.ACTIVE


@pytest.mark.parametrize("text", [
    "汽油买好了，周末给发电机加上",
    "汽油又涨价了，加满一箱要四百多",
    "我每天早晚各给自己打一次胰岛素",
    "what knot holds my weight in a climbing harness",
    "跑了三家药店才买到布洛芬，孩子一直发烧",
    "饿死了，先去吃个饭",
    "I turned on the stove and forgot to light it, the smell scared me",
    "新闻说有人往自己身上浇汽油，被消防救下来了",
])
def test_their_everyday_twins_are_not(text: str) -> None:
    assert rules_level(text) <= Level.DISTRESS
