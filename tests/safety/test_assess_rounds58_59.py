"""Rounds 58 and 59's kinds (bench/risk58_rule.md, bench/risk59_rule.md): each said in new words
is heard by the rules alone, and its harmless twin on the same words stays below passive."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, RiskTracker, default_assessor


@pytest.mark.parametrize(("text", "level"), [
    ("我真系唔想再做人，好累", Level.PASSIVE),
    ("说实话，我不想再当人了", Level.PASSIVE),
    ("等孩子睡了，我打算把煤气开关打开", Level.PLAN),
    ("今晚我就开着燃气睡", Level.PLAN),
    ("楼顶我上周已经踩过点了", Level.PLAN),
    ("熬不下去了，干脆自己了结算了", Level.ACTIVE),
    ("I booked a room at the inn by the gorge, one-way, I'm not getting a return", Level.PLAN),
    ("江边那家酒店我订好了，这次去了就不回来了", Level.PLAN),
    ("我瞒着我妈说去外地旅游，其实不打算回来了", Level.PLAN),
    ("大桥那边我已经看好位置了", Level.PLAN),
    ("six weeks clean and I'm going to cut again tonight", Level.ACTIVE),
    ("I counted my sleeping pills twice, there's enough now", Level.PLAN),
])
def test_round_58_kinds_are_heard(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level


@pytest.mark.parametrize("text", [
    "出了这么大的糗，丢脸到不想做人了", "我不想再做人家的出气筒", "我阿爸成日讲笑话唔想做人",
    "我准备把燃气阀打开煮个面", "燃气打开了但一直打不着火", "天台我去踩点了，拍烟花的机位不错",
    "这段感情要不要结束算了", "我想自己结束这个项目再休假",
    "I booked a cabin near the falls for the weekend, back on Sunday",
    "我订了江边的酒店，周日就回来", "大桥那边我看好位置了，拍烟花正好",
    "I'm going to cut again, my fringe is in my eyes",
    "I counted the tablets, enough for the whole trip",
    "我做内容审核的，每天要看很多吓人的图片，下班想听点轻松的",
])
def test_round_58_twins_stay_below_passive(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE


def test_someone_else_with_a_knife_saying_they_will_die_is_a_bystanders_emergency() -> None:
    report = RiskTracker().observe("我爸拿着菜刀说要去死")
    assert report.call_level == Level.IMMINENT
    assert report.about_other
    # the caller's own knife is the caller's own emergency
    own = RiskTracker().observe("我手里拿着刀，我不想活了")
    assert own.call_level >= Level.PASSIVE and not own.about_other
