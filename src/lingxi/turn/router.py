"""The router: safety first, then the skills by claim, then the fallback (the responder).

The order is explicit here: skills prepare the turn (a persona switch), safety decides whether
it takes the turn over (a crisis, a goodbye, "are you a real person"), then the first skill
with a confident claim performs, its segments passing the output guard on the way out.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from lingxi.safety.policy import SafetyAction
from lingxi.text import ClauseSplitter
from lingxi.turn.model import Turn
from lingxi.turn.segments import Audio, Effect, SafetyNotice, Say, Segment, SwitchPersona
from lingxi.turn.skill import CONFIDENT, Skill
from lingxi.turn.voicing import Voicing, joined, tagged


@dataclass(frozen=True, slots=True)
class SafetyPlan:
    """What safety requires of this reply."""

    takeover: tuple[Segment, ...] | None = None  # said instead of any skill's words
    prefix: tuple[Segment, ...] = ()  # said first (the companion duties)
    persona: str | None = None  # who must answer instead of the persona asked for


class SafetyFirst(Protocol):
    """The call's safety state, as the router needs it (see `lingxi.skills.safety`)."""

    def plan(self, turn: Turn) -> SafetyPlan: ...

    def guard(self, clause: str) -> SafetyAction | None:
        """None if a clause of a skill's reply may be said, else what to do instead."""
        ...


@dataclass(frozen=True, slots=True)
class Routed:
    turn: Turn  # as the skills prepared it
    skill: str  # who answers ("safety" when safety took the turn over)
    lead: tuple[Effect, ...]  # effects known before a word is said (a switch, a notice)
    segments: AsyncIterator[Segment]


class Router:
    def __init__(self, safety: SafetyFirst, skills: Sequence[Skill], fallback: Skill) -> None:
        self.safety = safety
        self.skills = tuple(skills)
        self.fallback = fallback

    def route(self, turn: Turn) -> Routed:
        persona = turn.persona
        for skill in self.skills:
            turn = skill.prepare(turn)
        plan = self.safety.plan(turn)
        if plan.persona is not None:
            turn = turn.replace(persona=plan.persona)
        lead: list[Effect] = []
        if turn.persona != persona:
            lead.append(SwitchPersona(turn.persona))
        if plan.takeover is not None:
            said = [s for s in plan.takeover if isinstance(s, SafetyNotice)]
            rest = tuple(s for s in plan.takeover if not isinstance(s, SafetyNotice))
            return Routed(turn, "safety", (*lead, *said),
                          self._voiced(_each(rest), Voicing(turn), safety=True))
        chosen = self.choose(turn)
        stream = _chain(plan.prefix, self._guarded(chosen.perform(turn)))
        voicing = Voicing(turn, interject=chosen is self.fallback and not plan.prefix)
        return Routed(turn, chosen.name, tuple(lead), self._voiced(stream, voicing))

    def choose(self, turn: Turn) -> Skill:
        if turn.for_the_model:
            return self.fallback
        for skill in self.skills:
            claim = skill.claim(turn)
            if claim is not None and claim.confidence >= CONFIDENT:
                return skill
        return self.fallback

    async def _voiced(self, stream: AsyncIterator[Segment], voicing: Voicing, *,
                      safety: bool = False) -> AsyncIterator[Segment]:
        """Every Say leaves with its voice decided: whose, and in which style (per clause: the
        guard, before this, cut the words into clauses)."""
        turn = voicing.turn
        async with contextlib.aclosing(stream):  # type: ignore[type-var]
            async for segment in stream:
                if isinstance(segment, Say):
                    asked, text = tagged(segment.text)
                    style = voicing.style(text, segment.style or asked, plain=segment.plain,
                                          safety=safety)
                    opening = voicing.opening(style) if text.strip() else ""
                    if opening and not voicing.has_opening(text):
                        text = joined(opening, text)
                    segment = dataclasses.replace(
                        segment, text=text, style=style,
                        persona=None if segment.plain else segment.persona or turn.persona)
                yield segment

    async def _guarded(self, stream: AsyncIterator[Segment]) -> AsyncIterator[Segment]:
        """The output guard: a clause that encourages self-harm or gives a method is never
        said; the skill is stopped and safety's words are said instead."""
        guard = _Guard(self.safety)
        async with contextlib.aclosing(stream):  # type: ignore[type-var]
            async for segment in stream:
                for out in guard.push(segment):
                    yield out
                if guard.blocked:
                    return
            for out in guard.flush():
                yield out


class _Guard:
    """Cuts the words into clauses (the guard judges whole clauses) per run of one voice."""

    def __init__(self, safety: SafetyFirst) -> None:
        self._safety = safety
        self._splitter = ClauseSplitter()
        self._voice: Say | None = None  # the voice of the text held in the splitter
        self.blocked = False

    def push(self, segment: Segment) -> list[Segment]:
        if isinstance(segment, Say):
            out = self.flush() if self._voice is not None and not _same_voice(
                self._voice, segment) else []
            self._voice = segment
            return out + self._checked(self._splitter.push(segment.text), segment)
        out = self.flush()
        if isinstance(segment, Audio) and not self.blocked:
            replacement = self._check(segment.caption)
            return out + (replacement or [segment])
        return out + ([] if self.blocked else [segment])

    def flush(self) -> list[Segment]:
        rest, voice = self._splitter.flush(), self._voice
        self._voice = None
        return self._checked([rest], voice) if rest and voice is not None else []

    def _checked(self, clauses: list[str], voice: Say) -> list[Segment]:
        out: list[Segment] = []
        for clause in clauses:
            if self.blocked:
                break
            replacement = self._check(clause)
            out += replacement or [dataclasses.replace(voice, text=clause)]
        return out

    def _check(self, text: str) -> list[Segment] | None:
        action = self._safety.guard(text)
        if action is None:
            return None
        self.blocked = True
        return [SafetyNotice(action), Say(action.reply or "", plain=True)]


def _same_voice(a: Say, b: Say) -> bool:
    return (a.style, a.plain, a.persona) == (b.style, b.plain, b.persona)


async def _each(segments: Sequence[Segment]) -> AsyncIterator[Segment]:
    for segment in segments:
        yield segment


async def _chain(first: Sequence[Segment], then: AsyncIterator[Segment]) -> AsyncIterator[Segment]:
    async with contextlib.aclosing(then):  # type: ignore[type-var]
        for segment in first:
            yield segment
        async for segment in then:
            yield segment
