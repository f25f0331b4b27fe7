"""Risk across the turns of one call.

A `RiskTracker` reads a call's user turns in order. Each turn is assessed in the light of
what came before ("药我都攒好了" after "我不想活了" is a plan; "跳下去" after "我在楼顶" is an
attempt in progress), and the call's level is the highest any turn has reached: it never
drops within the call — "开玩笑的啦" or "never mind, I'm fine" does not undo "I want to kill
myself". Make one tracker per call; it is cheap.

With a learned model (`lingxi.safety.model`) a turn's level is the higher of the rules' and the
model's — except that while the call has shown no more than distress, the rules' passive or active
reading of a turn the model finds calm (`ModelScore.calm`: news of a stranger's suicide, a
houseplant that "committed suicide") is taken down to distress (round 89), unless a rule
that states the caller's own intent plainly set the `firm` flag (round 101). The model reads the
turn and the turn with the last two user turns, so the tracker keeps those two texts and the three
turns' vectors in memory (never logged, gone with the call): each turn is embedded once.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass

from lingxi import metrics
from lingxi.safety.assess import CallContext, RiskAssessor, default_assessor
from lingxi.safety.levels import Assessment, Level, Reason
from lingxi.safety.model import CONTEXT_TURNS, Array, ModelScore, RiskModel

log = logging.getLogger(__name__)
# A call that reached distress and no higher is heard as calm again by the voice (its light
# styles may come back) after this many turns in a row each rated none; the call's level, and
# everything safety does with it, stays where it was.
CALM_TURNS = 3
# The flag of rules whose words state the caller's own intent too plainly for the model's calm
# to take down ("我决定了，我要去死", "…kill myself, I'm serious"): the calm read them as
# harmless words at a call's start (round 101).
FIRM = "firm"


@dataclass(frozen=True, slots=True)
class TurnReport:
    """One turn as the tracker saw it.

    `turn` is this turn's own assessment (read in the call's context); `call_level` is the
    call's level after it (never lower than before); `raised` says this turn raised it;
    `peak` is the assessment of the turn that set the call level; `model` is the learned
    model's own score of the turn (None without a model); `rules` is the phrase rules' own
    assessment of it (in the call's context).
    """

    turn: Assessment
    call_level: Level
    raised: bool
    peak: Assessment
    model: ModelScore | None = None
    rules: Assessment | None = None

    @property
    def about_other(self) -> bool:
        """This turn's risk (passive or higher) is someone else's: every reason the rules give
        at that level is about another person. The learned model names no subject, so a turn
        it alone raised counts as the caller's own."""
        if self.turn.level < Level.PASSIVE or self.rules is None:
            return False
        risky = [reason for reason in self.rules.reasons if reason.level >= Level.PASSIVE]
        return bool(risky) and all(reason.about_other for reason in risky)


class RiskTracker:
    """Per-call risk state: the highest level so far and the context flags raised."""

    def __init__(self, assessor: RiskAssessor | None = None,
                 model: RiskModel | None = None) -> None:
        self._assessor = assessor or default_assessor()
        self._model = model
        self._recent: deque[str] = deque(maxlen=CONTEXT_TURNS)
        self._vectors: dict[str, Array] = {}
        self._context = CallContext()
        self._peak = Assessment(Level.NONE)
        self._turns = 0
        self._own: deque[Level] = deque(maxlen=CALM_TURNS)  # the last turns' own levels
        # Whose risk the call has shown (passive or higher): the caller's own, someone else's.
        self._callers_risk = False
        self._others_risk = False
        # A second opinion raises the level from the event loop while a turn may be assessed
        # in a worker thread: the fold of either is done under this lock (microseconds).
        self._lock = threading.Lock()

    @property
    def level(self) -> Level:
        return self._context.level

    @property
    def calm_again(self) -> bool:
        """The call reached distress (low mood, no thought of death) and no higher, and its
        last `CALM_TURNS` turns were each rated none: the voice may be light again — an
        everyday call with one tired remark need not stay subdued to its end."""
        return self._context.level == Level.DISTRESS and len(self._own) == CALM_TURNS and \
            max(self._own) == Level.NONE

    @property
    def about_other(self) -> bool:
        """The call's risk so far is only someone else's (a friend who wants to die, a brother
        on a ledge): its safety replies speak to a worried bystander. Once the caller's own
        risk is heard, it is the caller's call to its end, as the level never drops."""
        return self._others_risk and not self._callers_risk

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
        score = None
        if self._model is not None:
            try:
                score = self._model.score(text, tuple(self._recent), self._vectors,
                                          call=self._context.level)
            except Exception as exc:  # the rules still judge this turn: a model failing
                # (its encoder, its weights) must never silence them
                metrics.engine_failed("risk_model")
                log.warning("risk model failed, rules alone: %s", type(exc).__name__)
            else:
                level = score.level
                if evaluation.model_ceiling is not None and self._context.level == Level.NONE:
                    # A harmless phrase alone, with nothing risky said before (see data.py):
                    # later in a risky call the model's reading stands.
                    level = min(level, evaluation.model_ceiling)
                turn = _with_model(turn, level)
                if (self._context.level <= Level.DISTRESS and score.calm
                        and FIRM not in evaluation.flags):
                    turn = _calmed(turn)
            self._recent.append(text)
        with self._lock:
            raised = turn.level > self._context.level
            if raised:
                self._peak = turn
            self._context = CallContext(level=max(self._context.level, turn.level),
                                        flags=self._context.flags | evaluation.flags)
            self._turns += 1
            self._own.append(turn.level)
            report = TurnReport(turn=turn, call_level=self._context.level, raised=raised,
                                peak=self._peak, model=score, rules=evaluation.assessment)
            if turn.level >= Level.PASSIVE:
                if report.about_other:
                    self._others_risk = True
                else:
                    self._callers_risk = True
            return report

    def raise_to(self, level: Level, reason: Reason) -> bool:
        """Raise the call's level on another's word (the language model's second opinion);
        never lowers it. Whether it rose."""
        with self._lock:
            if level <= self._context.level:
                return False
            self._peak = Assessment(level, (reason,), (reason.code,))
            self._context = CallContext(level=level, flags=self._context.flags)
            self._callers_risk = True  # it read the caller's own turns: ask after the caller
            return True


def _calmed(rules: Assessment) -> Assessment:
    """The rules' passive or active reading of a turn the model finds calm, as distress (round
    89): their plan and imminent readings stand, and a lower one needs no change."""
    if not Level.PASSIVE <= rules.level <= Level.ACTIVE:
        return rules
    reason = Reason(code="model.calm", level=Level.DISTRESS,
                    text="the rules' words, read by the learned model in their harmless sense")
    kept = tuple(r for r in rules.reasons if r.level <= Level.DISTRESS)
    return Assessment(Level.DISTRESS, (reason, *kept), (*rules.matched, reason.code))


def _with_model(rules: Assessment, level: Level) -> Assessment:
    """The rules' assessment, raised to the model's level when the model rates it higher."""
    if level <= rules.level:
        return rules
    reason = Reason(code=f"model.{level.label}", level=level,
                    text="the learned risk model (turn and recent context)")
    return Assessment(level, (reason, *rules.reasons), (*rules.matched, reason.code))
