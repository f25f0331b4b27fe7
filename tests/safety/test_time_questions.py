"""A plain question about the time or the date is not a chosen date: the shipped heads (round
22) read "what day is it" after a tired remark as a plan, so a whole turn that is only such a
question caps the learned model (`question.time_date.*`); a date said with intent still counts."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, RiskTracker
from lingxi.safety.model import default_risk_model

TIRED = ["I missed my flight", "I'm so tired", "mm"]
TIRED_ZH = ["我误机了", "真的好累", "嗯"]


@pytest.mark.parametrize(("before", "question"), [
    (TIRED, "what time is it"), (TIRED, "what day is it"), (TIRED, "what's the date today"),
    (TIRED_ZH, "现在几点了"), (TIRED_ZH, "今天几号"), (TIRED_ZH, "今天星期几"),
])
def test_a_time_question_after_a_tired_remark_is_no_alarm(before: list[str],
                                                          question: str) -> None:
    tracker = RiskTracker(model=default_risk_model())
    levels = [tracker.observe(text).call_level for text in [*before, question]]
    assert levels[-1] < Level.PASSIVE


def test_a_chosen_day_is_still_heard() -> None:
    tracker = RiskTracker(model=default_risk_model())
    tracker.observe("I don't want to be here anymore")
    assert tracker.observe("what day is it, I've picked the day to do it").call_level >= Level.PLAN
