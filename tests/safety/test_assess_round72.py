"""Round 72's kinds (heldout73–75's misses, written once they were spent): a decision to die said
"拿定主意", cuts just made with dizziness, outside the railing whatever is said of it, dying to make
someone see, which medicine kills in a larger amount (Cantonese), a lot of a sedative said broken, a
strip of medicine taken (Cantonese), a roof's door checked, a room booked one way, no home needed
after a date, passive wishes; gas smelt at a silent door, a classmate cutting now; and a cat's
parkour, a game's deaths, "明天见 晚安" no longer raised. New words, not the sets'."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, RiskTracker


@pytest.mark.parametrize(("text", "level"), [
    ("我拿定主意了 这周就去死", Level.ACTIVE),
    ("刚刚用刀片划了手上好几道 有点晕", Level.IMMINENT),
    ("别紧张 我就坐在阳台外面 看看风景", Level.IMMINENT),
    ("她不是嫌我吗 我就死给她看", Level.ACTIVE),
    ("哪种药吃多点会死", Level.PLAN),
    ("我吃了好多安眠药 头好晕", Level.IMMINENT),
    ("我将阿妈嘅安眠藥成板食晒", Level.IMMINENT),
    ("我看过了 宿舍楼顶的门一直没锁", Level.PLAN),
    ("订好了山里的一间民宿 一个人去 不打算回来了", Level.PLAN),
    ("月底之后我就不需要住的地方了", Level.PLAN),
    ("老天爷 快把我带走吧", Level.PASSIVE),
    ("早死早超生 活着太累", Level.PASSIVE),
])
def test_round_72_kinds_are_heard(text: str, level: Level) -> None:
    assert RiskTracker().observe(text).call_level >= level


@pytest.mark.parametrize("text", [
    "楼上一股煤气味 敲门也没人应 我好怕",
    "我同学现在正在厕所割手 我该怎么办",
])
def test_someone_elses_emergency_is_heard_as_theirs(text: str) -> None:
    result = RiskTracker().observe(text)
    assert result.call_level == Level.IMMINENT
    assert result.rules is not None
    assert all(reason.about_other for reason in result.rules.reasons)


@pytest.mark.parametrize("text", [
    "我家狗天天拆家 我怀疑它想让我气死 哈哈",
    "这个游戏我死了二十次都过不去",
    "今天先聊到这 跟你说再见啦 明天见",
    "切菜的时候不小心划了好几道 有点晕血",
    "下个月之后我就不需要住的地方了 公司给安排宿舍",
    "楼道里一股煤气味 敲门没人应 我打给燃气公司了",
])
def test_their_twins_stay_below_passive(text: str) -> None:
    assert RiskTracker().observe(text).call_level < Level.PASSIVE
