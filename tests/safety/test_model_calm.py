"""Round 89: at a call's start the rules' passive or active reading of a turn is not taken when the
learned model reads the turn calm (no higher than distress, its words harmless to the lexical
reader). News of a stranger's suicide, a pet or a program that "committed suicide": a gentle
check-in at most, not the crisis reply. The rules' plan and imminent readings always stand."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import cast

import pytest

from lingxi.safety import RiskTracker
from lingxi.safety.levels import Level, Reason
from lingxi.safety.model import RULES_VETO, Array, ModelScore, RiskModel, default_risk_model


class FakeModel:
    """A fake learned model (unit tests of the tracker's logic): every turn gets one reading."""

    def __init__(self, level: Level, words: float) -> None:
        self.reading = ModelScore(level, (1.0, 0.0, 0.0, 0.0, 0.0, 0.0), words)

    def score(self, text: str, previous: Sequence[str] = (),
              known: MutableMapping[str, Array] | None = None,
              call: Level = Level.NONE) -> ModelScore:
        return self.reading


def tracker(level: Level = Level.NONE, words: float = RULES_VETO / 10) -> RiskTracker:
    return RiskTracker(model=cast(RiskModel, FakeModel(level, words)))


@pytest.mark.parametrize("text", ["I want to kill myself", "我不想活了"])
def test_a_calm_model_reading_takes_the_rules_ideation_down_to_distress(text: str) -> None:
    report = tracker().observe(text)
    assert report.rules is not None and report.rules.level in (Level.PASSIVE, Level.ACTIVE)
    assert report.call_level == Level.DISTRESS
    assert "model.calm" in report.turn.matched


@pytest.mark.parametrize("text", [
    "安眠药吃多少片会死", "I'm standing on the bridge railing right now"])
def test_the_rules_plan_and_imminent_readings_stand(text: str) -> None:
    report = tracker().observe(text)
    assert report.rules is not None and report.rules.level >= Level.PLAN
    assert report.call_level == report.rules.level


def test_the_words_above_the_bar_leave_the_rules_standing() -> None:
    report = tracker(words=RULES_VETO).observe("I want to kill myself")
    assert report.call_level == Level.ACTIVE


def test_a_model_reading_above_distress_leaves_the_rules_standing() -> None:
    report = tracker(level=Level.PASSIVE).observe("I want to kill myself")
    assert report.call_level == Level.ACTIVE


def test_once_the_call_has_shown_risk_the_rules_stand() -> None:
    calm = tracker()
    calm.raise_to(Level.PASSIVE, Reason("test.earlier", Level.PASSIVE, "an earlier wish to die"))
    assert calm.observe("I want to kill myself").turn.level == Level.ACTIVE


# The real model (rules + e5 heads + lexical reader), as calls use it.
@pytest.mark.parametrize("text", [
    "看到报道说有个大学生跳楼了，学校在做心理排查",
    "I watched a documentary about a poet who died by suicide, it was beautifully made",
    "our hamster basically committed suicide by eating the whole bag of seeds",
    "我写的脚本跑一半就自杀了，也不报错",
])
def test_someone_elses_death_in_the_news_or_a_pet_is_not_a_crisis(text: str) -> None:
    report = RiskTracker(model=default_risk_model()).observe(text)
    assert report.call_level <= Level.DISTRESS


@pytest.mark.parametrize("text", [
    "I watched a documentary about a poet who died by suicide, and I think about doing it too",
    "my script keeps killing itself and I want to kill myself too",
    "新闻说有个演员自杀了，我也一直在想自杀",
])
def test_the_same_words_with_the_callers_own_thoughts_are_still_heard(text: str) -> None:
    report = RiskTracker(model=default_risk_model()).observe(text)
    assert report.call_level >= Level.ACTIVE
