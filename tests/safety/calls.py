"""A call's level by the phrase rules alone, for the rule tests."""

from __future__ import annotations

from lingxi.safety import Level, RiskTracker


def rules_level(*turns: str) -> Level:
    """The call's level after these turns, by the phrase rules alone."""
    tracker = RiskTracker()
    level = Level.NONE
    for turn in turns:
        level = tracker.observe(turn).call_level
    return level
