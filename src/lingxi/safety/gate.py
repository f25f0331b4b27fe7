"""A call's safety state: every user turn is assessed, and from `passive` up the reply is the
safe-messaging template, never a skill's words (the router asks this gate first, through
`lingxi.skills.safety`). No persona or skill sits in between.

The gate also decides everything else a reply must or must not say for safety's sake: the
goodbye of the easy exit, the truthful answer to "are you a real person", the companion duties
(AI disclosure, break reminders) and, clause by clause, the output guard.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from lingxi import metrics
from lingxi.safety.audit import AuditLog
from lingxi.safety.duties import Duties
from lingxi.safety.escalation import EscalationEvent, EscalationNotifier
from lingxi.safety.guard import default_guard
from lingxi.safety.levels import Level, Reason
from lingxi.safety.model import RiskModel
from lingxi.safety.opinion import SecondOpinion, borderline
from lingxi.safety.policy import SafetyAction, decide, region_for
from lingxi.safety.profiles import Profile
from lingxi.safety.profiles import profile as default_profile
from lingxi.safety.tracker import RiskTracker, TurnReport
from lingxi.text import has_han

log = logging.getLogger(__name__)
OPINION_TURNS = 3  # the caller's turns the second opinion reads (the last and two before)


@dataclass(frozen=True, slots=True)
class ReplyPlan:
    """What safety requires of the next reply."""

    text: str | None = None  # say this instead of the responder's words
    prefix: str = ""  # say this first (the duties)
    notice: SafetyAction | None = None  # crisis lines to show on the page
    ends_call: bool = False  # the person asked to hang up: this reply is the goodbye
    # The persona asked for may not answer this caller (a minor, under the profile): the
    # default persona answers instead, from this reply on.
    default_persona: bool = False


class SafetyGate:
    """Per-call risk state; the call's level never drops while the call lasts."""

    def __init__(
        self, *, call_id: str = "", notifier: EscalationNotifier | None = None,
        spawn: Callable[[Coroutine[Any, Any, bool]], object] | None = None,
        region: Callable[[], str | None] = lambda: None, audit: AuditLog | None = None,
        minor: Callable[[], bool] = lambda: False, duties: Duties | None = None,
        model: RiskModel | None = None, profile: Profile | None = None,
        on_referral: Callable[[str], None] | None = None,
        opinion: SecondOpinion | None = None,
    ) -> None:
        """`on_referral(region)`: a reply offers the crisis lines of `region` (counted for
        the annual report; called on the event loop). `opinion`: the language model asked
        about borderline turns (needs `model` and `spawn`)."""
        self._call_id = call_id
        self._notifier = notifier
        self._spawn = spawn
        self._region = region
        self._audit = audit
        self._minor = minor
        self._duties = duties
        self._profile = profile or default_profile()
        self._on_referral = on_referral
        self._tracker = RiskTracker(model=model)  # rules, plus the learned model if given
        self._model = model
        self._opinion = opinion
        self._recent: deque[str] = deque(maxlen=OPINION_TURNS)  # for the opinion, in memory
        self._guard = default_guard()
        self._lang = "zh"
        self._last_user = ""
        self._risky_replies = 0

    @property
    def level(self) -> str:
        """The call's risk level so far (it never drops within a call)."""
        return self._tracker.level.label

    @property
    def calm_again(self) -> bool:
        """The call only reached distress and its last few turns were harmless: the voice may
        be light again (the level itself never drops)."""
        return self._tracker.calm_again

    def observe(self, text: str) -> None:
        """Fold a finished user turn into the call's risk level (no transcript is logged)."""
        if not text.strip():
            return
        self._last_user = text
        self._lang = "zh" if has_han(text) else "en"
        report = self._tracker.observe(text)
        metrics.RISK_TURNS.labels(report.turn.level.label).inc()
        threshold = self._escalation_level()
        escalate = report.raised and report.call_level >= threshold
        if report.call_level >= Level.PASSIVE:
            self._record(report.call_level.label, "escalated" if escalate else "safe_reply",
                         [r.code for r in report.turn.reasons], text)
        if report.raised:
            log.warning("call risk level raised to %s", report.call_level.label)
        if escalate:
            self._escalate(report.call_level, report.peak.reasons)
        self._recent.append(text)
        self._maybe_ask(report)

    def _maybe_ask(self, report: TurnReport) -> None:
        """A borderline turn: the language model's second opinion, asked off this path."""
        if self._opinion is None or self._spawn is None or self._model is None or \
                report.model is None:
            return
        if borderline(report.call_level, report.model.probabilities,
                      [float(t) for t in self._model.head.thresholds]) and \
                self._opinion.may_ask():
            self._spawn(self._second_opinion(self._opinion, tuple(self._recent)))

    async def _second_opinion(self, opinion: SecondOpinion, turns: tuple[str, ...]) -> bool:
        """Ask, and raise the call's level if the model names a higher one (never lower)."""
        level = await opinion.review(turns)
        if level is None:
            metrics.SECOND_OPINIONS.labels("none").inc()
            return False
        if level < Level.PASSIVE:
            # The question was whether the turn reaches passive (`borderline`); "distress" says
            # no. (Asked about half sentences cut at a pause — "I was thinking that", "Um, I
            # think" — the small model answers distress.)
            metrics.SECOND_OPINIONS.labels("kept").inc()
            return False
        before = self._tracker.level
        reason = Reason(code=f"second_opinion.{level.label}", level=level,
                        text="the language model's second opinion on a borderline turn")
        raised = self._tracker.raise_to(level, reason)
        metrics.SECOND_OPINIONS.labels("raised" if raised else "kept").inc()
        if not raised:
            return False
        log.warning("call risk level raised to %s by the second opinion", level.label)
        threshold = self._escalation_level()
        escalate = before < threshold <= level
        self._record(level.label, "escalated" if escalate else "second_opinion",
                     [reason.code], turns[-1] if turns else None)
        if escalate:
            self._escalate(level, (reason,))
        return True

    def plan_reply(self, now: float, relationship: str = "none") -> ReplyPlan:
        """Decide the next reply's safety content, in order of precedence. `relationship`:
        the answering persona's flag (a virtual partner or family member, or "none")."""
        if self._last_user and self._guard.wants_to_leave(self._last_user):
            return ReplyPlan(text=self._goodbye(), ends_call=True)
        refused = not self._profile.persona_allowed(relationship, minor=self._minor())
        action = self._decide(self._tracker.level)
        if action.reply is not None:  # said as it is
            return ReplyPlan(text=action.reply, notice=action, default_persona=refused)
        prefix = ("" if self._duties is None
                  else self._duties.before_reply(now, self._lang, minor=self._minor()))
        if refused:
            refusal = self._profile.duties.persona_refusal[self._lang]
            text = f"{prefix}{refusal}" if self._lang == "zh" else f"{prefix} {refusal}"
            return ReplyPlan(text=text.strip(), default_persona=True)
        disclosure = self._guard.disclosure(self._last_user) if self._last_user else None
        return ReplyPlan(text=disclosure, prefix=prefix)

    def guard(self, clause: str) -> SafetyAction | None:
        """The output guard: None if a clause of a model's reply may be said, else what to
        say instead (at least the support template)."""
        code = self._guard.blocked(clause)
        if code is None:
            return None
        metrics.GUARD_BLOCKS.labels(code).inc()
        log.warning("reply clause blocked by the output guard: %s", code)
        self._record(self._tracker.level.label, "guard_blocked", [code], clause)
        return self._decide(max(self._tracker.level, Level.ACTIVE))

    @property
    def about_other(self) -> bool:
        """The call's risk so far is only someone else's (a friend who wants to die, a brother
        on a ledge): its safety replies speak to a worried bystander."""
        return self._tracker.about_other

    def _decide(self, level: Level) -> SafetyAction:
        action = decide(level.label, lang=self._lang, region=self._region(),
                        turn=self._risky_replies, about_other=self.about_other)
        if action.reply is not None:
            self._risky_replies += 1  # the next template is another variant
            self._referred()
        return action

    def _referred(self) -> None:
        if self._on_referral is not None:
            self._on_referral(region_for(self._lang, self._region()))

    def _goodbye(self) -> str:
        lang = self._lang
        if self._tracker.level < Level.PASSIVE:
            return self._guard.goodbye[lang]
        hotlines = decide("passive", lang=lang, region=self._region()).hotlines
        number = hotlines[0].number if hotlines else ""
        self._referred()
        return self._guard.goodbye[f"crisis_{lang}"].replace("{hotline}", number)

    def _record(self, level: str, action: str, reasons: list[str], text: str | None) -> None:
        if self._audit is not None:
            self._audit.record(call_id=self._call_id, level=level, action=action,
                               reasons=reasons, text=text)

    def _escalation_level(self) -> Level:
        """A human is brought in from this level (a minor's guardian one level earlier)."""
        return Level.ACTIVE if self._minor() else Level.PLAN

    def _escalate(self, level: Level, reasons: tuple[Any, ...]) -> None:
        """Bring in a human: the configured contact or operator gets a signed webhook."""
        if self._notifier is None or self._spawn is None:
            log.warning("risk level %s: no escalation webhook configured", level.label)
            return
        event = EscalationEvent(call_id=self._call_id, level=level.label,
                                reasons=tuple(r.code for r in reasons),
                                region=region_for(self._lang, self._region()),
                                at=self._notifier.now(), minor=self._minor())
        self._spawn(self._notifier.notify(event))

