"""Risk across the turns of one call: context raises a turn, and the call never drops."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from lingxi.safety import Level, RiskTracker, TurnReport, default_assessor


def run_call(turns: Sequence[str]) -> list[TurnReport]:
    tracker = RiskTracker()
    return [tracker.observe(text) for text in turns]


def levels(reports: Sequence[TurnReport]) -> list[Level]:
    return [report.turn.level for report in reports]


def test_saved_up_medicine_after_not_wanting_to_live_is_a_plan() -> None:
    reports = run_call(["我真的不想活下去了", "家里的药我偷偷攒了好久"])
    assert levels(reports) == [Level.PASSIVE, Level.PLAN]
    assert reports[-1].call_level == Level.PLAN and reports[-1].raised


def test_jumping_after_saying_where_they_are_is_imminent() -> None:
    reports = run_call(["活着好没意思", "我一个人在顶楼", "跳下去就好了"])
    assert levels(reports) == [Level.PASSIVE, Level.IMMINENT, Level.IMMINENT]


def test_the_same_words_without_risk_before_them_stay_harmless() -> None:
    tourist = run_call(["上海哪座大楼最高", "我想去拍夜景"])
    assert [r.call_level for r in tourist] == [Level.NONE, Level.NONE]
    cook = run_call(["今晚做红烧鱼", "刀就在手边，下一步呢"])
    assert cook[-1].call_level == Level.NONE


def test_the_same_question_after_a_death_wish_is_a_plan() -> None:
    reports = run_call(["everyone would be happier if I was gone",
                        "which is the tallest building in town"])
    assert levels(reports) == [Level.PASSIVE, Level.PLAN]


def test_means_at_hand_after_ideation_is_imminent_in_english() -> None:
    reports = run_call(["I keep thinking about ending my life", "the pills are right next to me"])
    assert levels(reports) == [Level.ACTIVE, Level.IMMINENT]


@pytest.mark.parametrize("turns", [
    ["我真的想去自杀", "开玩笑的啦", "我们聊点别的吧", "给我唱首歌"],
    ["I really want to kill myself", "never mind, I'm fine", "tell me a joke"],
])
def test_call_level_never_drops_after_a_retraction(turns: list[str]) -> None:
    reports = run_call(turns)
    assert reports[0].turn.level == Level.ACTIVE
    assert [r.call_level for r in reports] == [Level.ACTIVE] * len(turns)
    assert [r.raised for r in reports] == [True] + [False] * (len(turns) - 1)
    assert reports[-1].turn.level == Level.NONE  # the turn itself is read as it is
    assert reports[-1].peak.level == Level.ACTIVE  # and the call remembers why


def test_rising_risk_is_reported_turn_by_turn() -> None:
    reports = run_call(["工作丢了，心情很差", "有时候想睡着了就别醒了", "我想结束自己",
                        "我查好了哪座桥最高", "我已经站在桥边了"])
    assert levels(reports) == [Level.DISTRESS, Level.PASSIVE, Level.ACTIVE, Level.PLAN,
                               Level.IMMINENT]
    call_levels = [r.call_level for r in reports]
    assert call_levels == sorted(call_levels)
    assert all(r.raised for r in reports)


def test_a_turn_without_context_is_read_on_its_own() -> None:
    assessor = default_assessor()
    assert assessor.assess("药已经吃下去了").level == Level.NONE
    tracker = RiskTracker(assessor)
    tracker.observe("我想死")
    assert tracker.observe("药已经吃下去了").turn.level == Level.IMMINENT


def test_trackers_of_different_calls_do_not_share_context() -> None:
    first, second = RiskTracker(), RiskTracker()
    first.observe("我现在在天台上")
    first.observe("活着没意思")
    assert first.level == Level.PASSIVE and "place" in first.flags
    assert second.observe("跳下去").turn.level < Level.IMMINENT
    assert second.level < Level.IMMINENT


def test_a_call_that_only_reached_distress_is_calm_again_after_three_harmless_turns() -> None:
    tracker = RiskTracker()
    tracker.observe("我今天好累，什么都不想做")
    assert tracker.level == Level.DISTRESS and not tracker.calm_again
    for text, calm in (("今天天气不错", False), ("我们聊点别的吧", False), ("给我讲个笑话", True)):
        tracker.observe(text)
        assert tracker.calm_again is calm
    assert tracker.level == Level.DISTRESS  # the call's level itself never drops


def test_a_low_turn_in_the_run_starts_the_count_again() -> None:
    tracker = RiskTracker()
    for text in ("I feel so down lately", "nice weather today", "tell me a joke",
                 "最近心情很差", "好的", "我们聊点别的吧"):
        tracker.observe(text)
        assert not tracker.calm_again
    tracker.observe("给我讲个笑话")
    assert tracker.calm_again


@pytest.mark.parametrize("first", ["我真的不想活下去了", "I really want to kill myself"])
def test_a_call_at_passive_or_higher_is_never_calm_again(first: str) -> None:
    tracker = RiskTracker()
    for text in (first, "开玩笑的啦", "今天天气不错", "我们聊点别的吧", "给我讲个笑话", "好的"):
        tracker.observe(text)
        assert not tracker.calm_again


def test_a_second_opinion_raising_the_call_ends_the_calm() -> None:
    tracker = RiskTracker()
    for text in ("我今天好累，什么都不想做", "今天天气不错", "我们聊点别的吧", "给我讲个笑话"):
        tracker.observe(text)
    assert tracker.calm_again
    from lingxi.safety.levels import Reason

    tracker.raise_to(Level.PASSIVE, Reason("opinion.passive", Level.PASSIVE, "second opinion"))
    assert not tracker.calm_again
