"""Risk across the turns of one call.

A `RiskTracker` reads a call's user turns in order. Each turn is assessed in the light of
what came before ("药我都攒好了" after "我不想活了" is a plan; "跳下去" after "我在楼顶" is an
attempt in progress), and the call's level is the highest any turn has reached: it never
drops within the call — "开玩笑的啦" or "never mind, I'm fine" does not undo "I want to kill
myself". Make one tracker per call; it is cheap and holds no transcript.
"""

from __future__ import annotations

from dataclasses import dataclass

from lingxi.safety.assess import CallContext, RiskAssessor, default_assessor
from lingxi.safety.levels import Assessment, Level


@dataclass(frozen=True, slots=True)
class TurnReport:
    """One turn as the tracker saw it.

    `turn` is this turn's own assessment (read in the call's context); `call_level` is the
    call's level after it (never lower than before); `raised` says this turn raised it;
    `peak` is the assessment of the turn that set the call level.
    """

    turn: Assessment
    call_level: Level
    raised: bool
    peak: Assessment


class RiskTracker:
    """Per-call risk state: the highest level so far and the context flags raised."""

    def __init__(self, assessor: RiskAssessor | None = None) -> None:
        self._assessor = assessor or default_assessor()
        self._context = CallContext()
        self._peak = Assessment(Level.NONE)
        self._turns = 0

    @property
    def level(self) -> Level:
        return self._context.level

    @property
    def flags(self) -> frozenset[str]:
        return self._context.flags

    @property
    def turns(self) -> int:
        return self._turns

    @property
    def peak(self) -> Assessment:
        return self._peak

    def observe(self, text: str) -> TurnReport:
        """Assess the next user turn of this call and fold it into the call's level."""
        evaluation = self._assessor.evaluate(text, self._context)
        turn = evaluation.assessment
        raised = turn.level > self._context.level
        if raised:
            self._peak = turn
        self._context = CallContext(level=max(self._context.level, turn.level),
                                    flags=self._context.flags | evaluation.flags)
        self._turns += 1
        return TurnReport(turn=turn, call_level=self._context.level, raised=raised,
                          peak=self._peak)
