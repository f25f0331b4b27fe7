"""Safety wraps the responder: every user turn is assessed, and from `passive` up the reply is
the safe-messaging template, never the model's words. No persona or skill sits in between."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

from lingxi import metrics
from lingxi.protocol import server_events as ev
from lingxi.safety.policy import SafetyAction, decide
from lingxi.safety.tracker import RiskTracker

log = logging.getLogger(__name__)
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\. )")


def language_of(text: str) -> str:
    return "zh" if any("\u3400" <= ch <= "\u9fff" for ch in text) else "en"


class SafetyGate:
    """Per-call risk state; the call's level never drops while the call lasts."""

    def __init__(self) -> None:
        self._tracker = RiskTracker()
        self._lang = "zh"
        self._risky_replies = 0

    def observe(self, text: str) -> None:
        """Fold a finished user turn into the call's risk level (no transcript is logged)."""
        if not text.strip():
            return
        self._lang = language_of(text)
        report = self._tracker.observe(text)
        metrics.RISK_TURNS.labels(report.turn.level.label).inc()
        if report.raised:
            log.warning("call risk level raised to %s", report.call_level.label)

    def action(self, region: str | None) -> SafetyAction:
        action = decide(self._tracker.level.label, lang=self._lang, region=region,
                        turn=self._risky_replies)
        if action.reply is not None:
            self._risky_replies += 1
        return action


async def spoken(text: str) -> AsyncIterator[str]:
    """A fixed reply as a token stream, so it takes the same path to speech as any other."""
    for sentence in _SENTENCE_END.split(text):
        if sentence:
            yield sentence


def notice(action: SafetyAction, response_id: str) -> ev.LingxiSafetyNotice:
    return ev.LingxiSafetyNotice(
        response_id=response_id, level=action.level, escalate=action.escalate,
        hotlines=[{"name": h.name, "number": h.number, "region": h.region, "kind": h.kind,
                   "hours": h.hours} for h in action.hotlines])
