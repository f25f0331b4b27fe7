"""Round 101: a caller who says plainly that they have decided to die, or that they mean to kill
themselves ("我决定了，我要去死", "…kill myself, I'm serious"), is read as active ideation by the
rules, and the learned model's calm (round 89) does not take such words down to distress.
Hyperbole ("热得我要死了") and a wish to be dead said in earnest stay where they were."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import cast

import pytest

from lingxi.safety import RiskTracker, default_assessor
from lingxi.safety.levels import Level
from lingxi.safety.model import RULES_VETO, Array, ModelScore, RiskModel, default_risk_model


class FakeCalmModel:
    """A fake learned model (a unit test of the tracker's logic): every turn reads calm."""

    def score(self, text: str, previous: Sequence[str] = (),
              known: MutableMapping[str, Array] | None = None,
              call: Level = Level.NONE) -> ModelScore:
        return ModelScore(Level.NONE, (1.0, 0.0, 0.0, 0.0, 0.0, 0.0), RULES_VETO / 10)


@pytest.mark.parametrize("text", [
    "我想好了，我真的要去死",
    "我不想活了，我要去死",
    "我谂好咗 我要死",
    "我已经不只是想死了，我想真的动手",
    "I'm going to kill myself this year, I mean it",
    "I have decided I don't want to live anymore",
])
def test_a_plain_decision_to_die_is_active_ideation(text: str) -> None:
    assert default_assessor().assess(text).level >= Level.ACTIVE


@pytest.mark.parametrize("text", [
    "我决定了，我要去死",
    "gonna end my life, I'm not joking",
    "我想去后山那棵树上吊死",
])
def test_the_models_calm_does_not_take_plain_intent_down(text: str) -> None:
    report = RiskTracker(model=cast(RiskModel, FakeCalmModel())).observe(text)
    assert report.call_level >= Level.ACTIVE
    assert "model.calm" not in report.turn.matched


def test_the_calm_still_takes_down_other_ideation_words() -> None:
    report = RiskTracker(model=cast(RiskModel, FakeCalmModel())).observe(
        "my laptop keeps trying to kill itself and honestly I want to kill myself too")
    assert report.call_level == Level.DISTRESS


@pytest.mark.parametrize("text", [
    "热得我要死了，空调又坏了",
    "这个会开得我要去死了哈哈",
    "I want to die, I mean it",
    "she said she was going to kill herself, I'm serious, what do I do",
    "the character decides to end her life in the last chapter, I mean it's so sad",
])
def test_hyperbole_a_wish_and_someone_else_are_not_raised(text: str) -> None:
    assert default_assessor().assess(text).level < Level.ACTIVE


@pytest.mark.parametrize("text", ["我决定了，我要去死", "I'm going to kill myself, I'm serious"])
def test_the_real_model_and_rules_read_plain_intent_as_active(text: str) -> None:
    report = RiskTracker(model=default_risk_model()).observe(text)
    assert report.call_level >= Level.ACTIVE
