"""The learned model's context counts from a call's first turn: a turn whose own words read
harmless is read in the light of the call's earlier, harmless-looking turns ("what's the tallest
bridge in this city", then "i'm going there tonight and i'm not planning on coming home").
Round 57 held such a lift back while the call was still at none; it cut false alarms on fresh
sets but, on the older sets, delayed plans revealed this way (bench/risk57_rule.md), and was
withdrawn. Round 63 holds it back only for a turn without any word that keeps the context in
play (`lingxi.safety.cues`): a closing "thanks, see you at the weekend" after a harmless call."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lingxi.safety import Level, RiskTracker
from lingxi.safety.encoder import DIM, Vectors
from lingxi.safety.model import Head, RiskModel

# Three directions of the fake vector space: talk of a bridge, the turn after it, the rest.
_BRIDGE, _AFTER, _OTHER = 0, 1, 2


class EncoderFake:
    """A fake encoder: bridge talk along one axis, "tonight" or "thanks" along another, the rest
    a third."""

    def __call__(self, texts: Sequence[str]) -> Vectors:
        rows = np.zeros((len(texts), DIM), np.float32)
        for row, text in zip(rows, texts, strict=True):
            after = "tonight" in text or "thanks" in text
            row[_BRIDGE if "bridge" in text else _AFTER if after else _OTHER] = 1.0
        return rows


def context_reader() -> Head:
    """A fake head that reads a plan when the context holds both bridge talk and the turn after
    it (the context half of the features along both axes), and nothing otherwise."""
    weights = np.zeros((2 * DIM, 6), np.float32)
    weights[DIM + _BRIDGE, 4] = 12.0
    weights[DIM + _AFTER, 4] = 12.0
    bias = np.array((-0.1, -4.0, -4.0, -4.0, -17.0, -4.0), np.float32)
    return Head(weights=weights, bias=bias,
                mean=np.zeros(2 * DIM, np.float32), scale=np.ones(2 * DIM, np.float32),
                temperature=1.0, thresholds=np.array((0, 0.3, 0.3, 0.3, 0.3, 0.3), np.float32),
                meta={})


def test_a_plan_revealed_after_a_harmless_looking_question_is_heard_at_once() -> None:
    model = RiskModel(context_reader(), EncoderFake())
    # Either turn alone reads nothing.
    assert model.score("what's the tallest bridge in this city").level == Level.NONE
    assert model.score("i'm going there tonight and not coming home").level == Level.NONE
    tracker = RiskTracker(model=model)
    assert tracker.observe("what's the tallest bridge in this city").call_level == Level.NONE
    assert tracker.observe(
        "i'm going there tonight and not coming home").call_level >= Level.PLAN


def test_a_quiet_closing_turn_of_a_quiet_call_keeps_its_own_reading() -> None:
    model = RiskModel(context_reader(), EncoderFake())
    # In context the closing turn reads a plan (as "tonight" does above); alone, nothing.
    assert model.score("thanks, see you at the weekend",
                       ["what's the tallest bridge in this city"]).level == Level.NONE
    tracker = RiskTracker(model=model)
    tracker.observe("what's the tallest bridge in this city")
    assert tracker.observe("thanks, see you at the weekend").call_level == Level.NONE


def test_once_the_call_has_shown_something_the_context_counts_in_full() -> None:
    model = RiskModel(context_reader(), EncoderFake())
    assert model.score("thanks, see you at the weekend", ["what's the tallest bridge in this city"],
                       call=Level.DISTRESS).level >= Level.PLAN
