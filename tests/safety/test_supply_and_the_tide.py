"""Round 113: a period's supply of medicine taken all at once is an overdose even unnamed; a caller
picturing their own jump and who would be sorry is thinking of a way to die; "let the sea take me"
from the rocks is a plan. A course finished as prescribed, a wall jumped, a float on a lake are
not."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text", [
    "两周的药量我刚才一口气全吞了",
    "医生开的半个月处方药，我已经一下子都吃掉了",
])
def test_a_whole_supply_taken_at_once_is_an_overdose(text: str) -> None:
    assert rules_level(text) == Level.IMMINENT


@pytest.mark.parametrize("text", [
    "医生开的两周的药，我每天按时吃，今天刚刚吃完",
    "一个月的药量已经吃完了，明天去复诊开新的",
])
def test_a_course_finished_as_prescribed_is_not(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE


def test_picturing_ones_own_jump_and_who_would_be_sorry_is_active() -> None:
    assert rules_level("假如我从宿舍楼上跳下去，老师会不会内疚") >= Level.ACTIVE


def test_a_jump_off_a_wall_is_not() -> None:
    assert rules_level("如果我从围墙上跳下去会不会扭到脚") < Level.PASSIVE


def test_letting_the_tide_take_one_from_the_rocks_is_a_plan() -> None:
    text = "tonight I'll climb out on the rocks at high tide and let the waves take me"
    assert rules_level(text) == Level.PLAN


@pytest.mark.parametrize("text", [
    "we floated on the lake all afternoon, letting the water take us",
    "sitting on the rocks by the sea, letting the music take me",
])
def test_a_float_or_a_song_is_not(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE
