"""Safety wraps the responder: every user turn is assessed, and from `passive` up the reply is
the safe-messaging template, never the model's words. No persona or skill sits in between."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from lingxi import metrics
from lingxi.protocol import server_events as ev
from lingxi.safety.audit import AuditLog
from lingxi.safety.escalation import EscalationEvent, EscalationNotifier
from lingxi.safety.guard import default_guard
from lingxi.safety.levels import Level
from lingxi.safety.policy import SafetyAction, decide, region_for
from lingxi.safety.tracker import RiskTracker

log = logging.getLogger(__name__)
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\. )")


def language_of(text: str) -> str:
    return "zh" if any("\u3400" <= ch <= "\u9fff" for ch in text) else "en"


class SafetyGate:
    """Per-call risk state; the call's level never drops while the call lasts."""

    def __init__(
        self, *, call_id: str = "", notifier: EscalationNotifier | None = None,
        spawn: Callable[[Coroutine[Any, Any, bool]], object] | None = None,
        region: Callable[[], str | None] = lambda: None, audit: AuditLog | None = None,
        minor: Callable[[], bool] = lambda: False,
    ) -> None:
        self._minor = minor
        self._call_id = call_id
        self._audit = audit
        self._notifier = notifier
        self._spawn = spawn
        self._region = region
        self._tracker = RiskTracker()
        self._guard = default_guard()
        self._lang = "zh"
        self._last_user = ""
        self._risky_replies = 0

    def observe(self, text: str) -> None:
        """Fold a finished user turn into the call's risk level (no transcript is logged)."""
        if not text.strip():
            return
        self._last_user = text
        self._lang = language_of(text)
        report = self._tracker.observe(text)
        metrics.RISK_TURNS.labels(report.turn.level.label).inc()
        threshold = Level.ACTIVE if self._minor() else Level.PLAN
        escalate = report.raised and report.call_level >= threshold
        if report.call_level >= Level.PASSIVE:
            self._record(report.call_level.label, "escalated" if escalate else "safe_reply",
                         [r.code for r in report.turn.reasons], text)
        if report.raised:
            log.warning("call risk level raised to %s", report.call_level.label)
        if escalate:
            self._escalate(report.call_level, report.peak.reasons)

    def _record(self, level: str, action: str, reasons: list[str], text: str | None) -> None:
        if self._audit is not None:
            self._audit.record(call_id=self._call_id, level=level, action=action,
                               reasons=reasons, text=text)

    def _escalate(self, level: Level, reasons: tuple[Any, ...]) -> None:
        """Bring in a human: the configured contact or operator gets a signed webhook."""
        if self._notifier is None or self._spawn is None:
            log.warning("risk level %s: no escalation webhook configured", level.label)
            return
        region = region_for(self._lang, self._region())
        event = EscalationEvent(call_id=self._call_id, level=level.label,
                                reasons=tuple(r.code for r in reasons), region=region,
                                at=self._notifier.now(), minor=self._minor())
        self._spawn(self._notifier.notify(event))

    def action(self, region: str | None) -> SafetyAction:
        action = decide(self._tracker.level.label, lang=self._lang, region=region,
                        turn=self._risky_replies)
        if action.reply is not None:
            self._risky_replies += 1
        return action

    @property
    def lang(self) -> str:
        """The language the person last spoke ("zh" until they say anything)."""
        return self._lang

    def wants_to_leave(self) -> bool:
        """The easy exit: "挂了吧" / "hang up" always ends the call, crisis or not."""
        return bool(self._last_user) and self._guard.wants_to_leave(self._last_user)

    def goodbye(self, region: str | None) -> str:
        lang = self._lang
        if self._tracker.level < Level.PASSIVE:
            return self._guard.goodbye[lang]
        hotlines = decide("passive", lang=lang, region=region).hotlines
        number = hotlines[0].number if hotlines else ""
        return self._guard.goodbye[f"crisis_{lang}"].replace("{hotline}", number)

    def disclosure(self) -> str | None:
        """"你是真人吗": always answered truthfully, whatever persona is speaking."""
        return self._guard.disclosure(self._last_user) if self._last_user else None

    def blocked(self, clause: str) -> str | None:
        """Why a clause of a model's reply must not be spoken (a code), or None."""
        code = self._guard.blocked(clause)
        if code is not None:
            metrics.GUARD_BLOCKS.labels(code).inc()
            log.warning("reply clause blocked by the output guard: %s", code)
            self._record(self._tracker.level.label, "guard_blocked", [code], clause)
        return code

    def replacement(self, region: str | None) -> SafetyAction:
        """What to say instead of a blocked reply: at least the support template."""
        level = max(self._tracker.level, Level.ACTIVE)
        action = decide(level.label, lang=self._lang, region=region, turn=self._risky_replies)
        self._risky_replies += 1
        return action


def split_sentences(text: str) -> list[str]:
    return [sentence for sentence in _SENTENCE_END.split(text) if sentence]


async def spoken(text: str) -> AsyncIterator[str]:
    """A fixed reply as a token stream, so it takes the same path to speech as any other."""
    for sentence in split_sentences(text):
        yield sentence


def notice(action: SafetyAction, response_id: str) -> ev.LingxiSafetyNotice:
    return ev.LingxiSafetyNotice(
        response_id=response_id, level=action.level, escalate=action.escalate,
        hotlines=[{"name": h.name, "number": h.number, "region": h.region, "kind": h.kind,
                   "hours": h.hours} for h in action.hotlines])
