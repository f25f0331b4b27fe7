"""A call's level by the phrase rules alone, for the rule tests, and by the rules with the shipped
model; a head that flags every turn."""

from __future__ import annotations

import dataclasses

from lingxi.safety import Level, RiskTracker
from lingxi.safety.model import Head, default_risk_model


def _level_after(tracker: RiskTracker, turns: tuple[str, ...]) -> Level:
    level = Level.NONE
    for turn in turns:
        level = tracker.observe(turn).call_level
    return level


def rules_level(*turns: str) -> Level:
    """The call's level after these turns, by the phrase rules alone."""
    return _level_after(RiskTracker(), turns)


def model_level(*turns: str) -> Level:
    """The call's level after these turns, by the rules with the shipped learned model."""
    return _level_after(RiskTracker(model=default_risk_model()), turns)


def always_flagging(head: Head) -> Head:
    """The head, with a gate every turn passes (it flags everything): the smallest positive
    gate, since heads trained with the spent sets rate a fake vector's P(level >= active) as
    low as 1e-32 (round 39's) and a gate of 0 means "no gate"."""
    return dataclasses.replace(head, gate=5e-324)
