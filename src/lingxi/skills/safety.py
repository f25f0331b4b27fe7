"""Safety, first on every turn: the crisis template, the goodbye of the easy exit, the truthful
"I am an AI", the duties said before a reply, and the output guard. The router asks this before
any skill and wraps every skill's words in its guard; no skill can get around it."""

from __future__ import annotations

from lingxi.safety.gate import SafetyGate
from lingxi.safety.policy import SafetyAction
from lingxi.turn.model import Turn
from lingxi.turn.router import SafetyPlan
from lingxi.turn.segments import EndCall, SafetyNotice, Say, Segment


class SafetySkill:
    name = "safety"

    def __init__(self, gate: SafetyGate) -> None:
        self.gate = gate  # the call's: its risk level never drops while the call lasts

    def plan(self, turn: Turn) -> SafetyPlan:
        plan = self.gate.plan_reply(turn.at, turn.personas.get(turn.persona).relationship)
        persona = turn.personas.default if plan.default_persona else None
        if plan.text is None:
            return SafetyPlan(prefix=(Say(plan.prefix),) if plan.prefix else ())
        said: list[Segment] = []
        if plan.notice is not None:
            said.append(SafetyNotice(plan.notice))
        # A crisis reply is said in the plain default voice, never a character's.
        said.append(Say(plan.text, plain=plan.notice is not None))
        if plan.ends_call:
            said.append(EndCall())
        return SafetyPlan(takeover=tuple(said), persona=persona)

    def guard(self, clause: str) -> SafetyAction | None:
        return self.gate.guard(clause)
