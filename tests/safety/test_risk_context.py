"""The learned model's context while a call has shown nothing (`model.CONTEXT_LIFT`): a turn
whose own words read harmless is not lifted to a plan by the harmless turns before it; once the
call has heard anything, the context counts in full."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lingxi.safety import Level, RiskTracker
from lingxi.safety.encoder import DIM, Vectors
from lingxi.safety.model import Head, RiskModel

# Three directions of the fake vector space: the turns of a harmless call about a bridge, a
# "thanks, I'll try it at the weekend", and anything else.
_BRIDGE, _THANKS, _OTHER = 0, 1, 2


class EncoderFake:
    """A fake encoder: bridge talk along one axis, thanks along another, the rest a third."""

    def __call__(self, texts: Sequence[str]) -> Vectors:
        rows = np.zeros((len(texts), DIM), np.float32)
        for row, text in zip(rows, texts, strict=True):
            row[_BRIDGE if "桥" in text else _THANKS if "谢谢" in text else _OTHER] = 1.0
        return rows


def context_reader() -> Head:
    """A fake head that reads a plan when the context holds bridge talk (the context half of
    the features along the bridge axis), and nothing otherwise."""
    weights = np.zeros((2 * DIM, 6), np.float32)
    weights[DIM + _BRIDGE, 4] = 12.0
    return Head(weights=weights, bias=np.log(np.array((0.9, 0.02, 0.02, 0.02, 0.02, 0.02),
                                                      np.float32)),
                mean=np.zeros(2 * DIM, np.float32), scale=np.ones(2 * DIM, np.float32),
                temperature=1.0, thresholds=np.array((0, 0.3, 0.3, 0.3, 0.3, 0.3), np.float32),
                meta={})


def test_a_harmless_call_does_not_lift_a_harmless_turn_to_a_plan() -> None:
    model = RiskModel(context_reader(), EncoderFake())
    assert model.score("谢谢，周末试试", ["哪座桥拍日落好看"]).level == Level.NONE
    tracker = RiskTracker(model=model)
    assert tracker.observe("今天天气不错").call_level == Level.NONE
    assert tracker.observe("谢谢，周末试试").call_level == Level.NONE


def test_the_turns_own_reading_still_stands_and_after_any_risk_the_context_counts() -> None:
    model = RiskModel(context_reader(), EncoderFake())
    # The turn's own words read a plan (its own context is itself): no lift is involved.
    assert model.score("哪座桥最高", ["今天天气不错"]).level == Level.PLAN
    # Once the call has heard low mood, the same turn after the same talk reads a plan.
    assert model.score("谢谢，周末试试", ["哪座桥拍日落好看"],
                       call=Level.DISTRESS).level == Level.PLAN
    tracker = RiskTracker(model=model)
    assert tracker.observe("最近真的好累，什么都不想做").call_level >= Level.DISTRESS
    tracker.observe("哪座桥拍日落好看")
    assert tracker.observe("谢谢，周末试试").call_level == Level.PLAN
