"""Test a skill without a server: `run_turn(skills, "小声说…")` routes one turn exactly as a
call would (safety first, the skills by claim, a fallback) and lets the test walk through the
segments it produced, in the spirit of livekit's `RunResult.expect`:

    run = await run_turn(default_skills(), "小声跟我说句悄悄话")
    run.expect.next(SetStyle, style="whisper")
    run.expect.next(Say, style="whisper")
    run.expect.no_more()
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lingxi.interfaces import ChatMessage
from lingxi.memory.practice_store import LastPractice
from lingxi.memory.store import FactView
from lingxi.personas import PersonaBook, builtin_book
from lingxi.safety.gate import SafetyGate
from lingxi.skills.safety import SafetySkill
from lingxi.text import language_of
from lingxi.turn import Affect, Mode, Router, Say, Segment, Skill, Turn, TurnAudio
from lingxi.turn.model import MemoryAccess, MoodAccess

S = TypeVar("S")
FALLBACK_FAKE_WORDS = "（后备回答）"


class FallbackFake(Skill):
    """A stand-in for the responder (named as a fake): says one fixed line."""

    name = "fallback-fake"

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        yield Say(FALLBACK_FAKE_WORDS)


class MemoryFake:
    """A caller's memory (a fake, in place of a call's `CallMemory`): facts, one bookmark and
    the practice scores, all kept in this object."""

    def __init__(self, facts: Sequence[FactView] = (), bookmark: str = "",
                 active: bool = True) -> None:
        self._active = active
        self.kept = list(facts)
        self.mark = bookmark
        self.practice: dict[str, LastPractice] = {}

    @property
    def active(self) -> bool:
        return self._active

    def facts(self) -> list[FactView]:
        return list(self.kept)

    def forget(self, hint: str) -> FactView | None:
        found = next((f for f in self.kept if f.text[:2] in hint), None)
        if found is not None:
            self.kept.remove(found)
        return found

    def bookmark(self) -> str:
        return self.mark

    def keep_bookmark(self, text: str) -> None:
        self.mark = text

    def last_practice(self, word: str) -> LastPractice | None:
        return self.practice.get(word.lower())

    def keep_practice(self, word: str, score: int) -> None:
        self.practice[word.lower()] = LastPractice(score, 0, this_call=True)

    def practised(self) -> dict[str, LastPractice]:
        return dict(self.practice)


@dataclass
class Expect:
    segments: list[Segment]
    at: int = 0

    def next(self, kind: type[S], **fields: Any) -> S:
        """The next segment is a `kind` with these field values."""
        assert self.at < len(self.segments), f"expected {kind.__name__}, no segments are left"
        segment = self.segments[self.at]
        self.at += 1
        assert isinstance(segment, kind), f"expected {kind.__name__}, got {segment!r}"
        for name, value in fields.items():
            assert getattr(segment, name) == value, \
                f"{kind.__name__}.{name}: expected {value!r}, got {getattr(segment, name)!r}"
        return segment

    def skip_to(self, kind: type[S], **fields: Any) -> S:
        """Skip segments until a `kind` with these field values."""
        while self.at < len(self.segments):
            segment = self.segments[self.at]
            self.at += 1
            if isinstance(segment, kind) and all(
                    getattr(segment, k) == v for k, v in fields.items()):
                return segment
        raise AssertionError(f"no {kind.__name__} with {fields} among the segments")

    def no_more(self) -> None:
        rest = self.segments[self.at:]
        assert not rest, f"unexpected segments: {rest!r}"


@dataclass
class RunResult:
    turn: Turn  # as the skills prepared it
    skill: str  # who answered
    segments: list[Segment]
    expect: Expect = field(init=False)

    def __post_init__(self) -> None:
        self.expect = Expect(self.segments)

    @property
    def said(self) -> str:
        return "".join(s.text for s in self.segments if isinstance(s, Say))


async def run_turn(
    skills: Sequence[Skill], text: str, *, history: Sequence[ChatMessage] = (),
    persona: str | None = None, personas: PersonaBook | None = None,
    language: str | None = None, style: Mode = "normal", memory: MemoryAccess | None = None,
    fallback: Skill | None = None, gate: SafetyGate | None = None, at: float = 0.0,
    cut_short: str = "", affect: Affect | None = None, audio: TurnAudio | None = None,
    mood: MoodAccess | None = None, region: str | None = None,
) -> RunResult:
    """Route one user turn saying `text` (after `history`) and collect every segment; `audio`:
    the caller's audio of a spoken turn."""
    book = personas or builtin_book()
    gate = gate or SafetyGate(duties=None)
    gate.observe(text)  # as the call does when the transcript is ready, before any reply
    said = (*history, ChatMessage("user", text)) if text else tuple(history)
    who = persona or book.default
    turn = Turn(text=text.strip(), language=language or language_of(text, book.get(who).language),
                history=tuple(said), persona=who, personas=book, preferred_language=language,
                memory=memory, risk=gate.level, calm_again=gate.calm_again, style=style, at=at,
                cut_short=cut_short, affect=affect, audio=audio, mood=mood, region=region)
    routed = Router(SafetySkill(gate), skills, fallback or FallbackFake()).route(turn)
    segments: list[Segment] = list(routed.lead)
    async for segment in routed.segments:
        segments.append(segment)
    return RunResult(routed.turn, routed.skill, segments)
