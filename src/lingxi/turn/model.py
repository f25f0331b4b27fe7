"""The turn: everything a skill may know about what the caller just said, built once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from lingxi.audio import Pcm
from lingxi.engines.affect.note import affect_note
from lingxi.interfaces import Affect as Affect
from lingxi.interfaces import ChatMessage, ReplyRequest
from lingxi.interfaces import Style as Style
from lingxi.memory.practice_store import LastPractice
from lingxi.memory.store import FactView
from lingxi.memory.trend import Trend
from lingxi.personas import PersonaBook

Mode = Literal["normal", "whisper"]  # the call's way of speaking until asked otherwise


@dataclass(frozen=True, slots=True)
class TurnAudio:
    """The caller's audio of this turn (what pronunciation coaching and affect listen to)."""

    pcm: Pcm
    sample_rate: int
    start_ms: float  # where it lies in the call's input audio
    end_ms: float


@dataclass(frozen=True, slots=True)
class WordTiming:
    word: str
    start_ms: float
    end_ms: float


class MemoryAccess(Protocol):
    """What a skill may do with the caller's memory (a call's `CallMemory`)."""

    @property
    def active(self) -> bool: ...

    def facts(self) -> list[FactView]: ...

    def forget(self, hint: str) -> FactView | None: ...

    def bookmark(self) -> str:
        """Where the caller's story stopped, as the storyteller kept it ("" for none); never
        among `facts()`, so it is not recited as something the caller said."""
        ...

    def keep_bookmark(self, text: str) -> None: ...

    def last_practice(self, word: str) -> LastPractice | None:
        """The word's last pronunciation score, in this call or an earlier one."""
        ...

    def keep_practice(self, word: str, score: int) -> None: ...

    def practised(self) -> dict[str, LastPractice]:
        """Every word practised (lower case) → how it went the last time."""
        ...


class MoodAccess(Protocol):
    """The caller's mood timeline as skills see it (a call's `CallMood`): consent, asked once;
    "stop" deletes it; the check-in a trend calls for; a voice self-check in progress."""

    asking: bool  # the consent question was the last thing said
    selfcheck: list[int] | None  # the self-check's answers so far, while it runs

    @property
    def available(self) -> bool:
        """The caller is known and may have a timeline (not a minor, unless allowed)."""
        ...

    @property
    def on(self) -> bool: ...

    @property
    def may_ask(self) -> bool: ...

    def ask(self) -> None: ...

    def answer(self, on: bool | None) -> None: ...

    def set(self, on: bool, *, asked: bool = False) -> None: ...

    def stop(self) -> None: ...

    def due(self) -> Trend | None: ...

    def checked_in(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Turn:
    text: str  # what the caller just said; "" when the reply answers no new user words
    language: str  # "zh" | "en": the caller's preference, else the language of their words
    history: tuple[ChatMessage, ...]
    persona: str
    personas: PersonaBook
    instructions: str = ""
    preferred_language: str | None = None  # the session's language choice, None for "auto"
    memory_note: str = ""
    open_threads: tuple[str, ...] = ()
    memory: MemoryAccess | None = None  # None: this server keeps no memory at all
    mood: MoodAccess | None = None  # the caller's mood timeline; None: no memory at all
    region: str | None = None  # where the caller is (session.lingxi.region), for support lines
    risk: str = "none"  # the call's risk level so far (it never drops within a call)
    # The call only reached distress and its last turns were rated none (RiskTracker.calm_again)
    calm_again: bool = False
    style: Mode = "normal"  # how Lingxi speaks in this call until asked otherwise
    # The rest of Lingxi's previous reply when the caller spoke over it (from the start of the
    # clause they cut into); "" when that reply was heard to its end.
    cut_short: str = ""
    audio: TurnAudio | None = None
    words: tuple[WordTiming, ...] = ()
    affect: Affect | None = None  # how the caller sounds this turn (engines/affect)
    at: float = 0.0  # clock time the turn was built
    tools: tuple[dict[str, Any], ...] = ()  # the client's functions the model may call
    tool_choice: str | dict[str, Any] = "auto"
    max_output_tokens: int | None = None  # the client's cap on this reply; None: no cap
    temperature: float | None = None  # the client's sampling temperature for the model

    @property
    def subdued(self) -> bool:
        """The voice keeps off its light styles: the call is at some risk, unless it only
        reached distress and has been calm again since (`calm_again`)."""
        return self.risk != "none" and not (self.risk == "distress" and self.calm_again)

    @property
    def for_the_model(self) -> bool:
        """The client's tools decide this turn: a function's output came back for the model
        to go on from, or the client requires a tool call. No other skill may answer it."""
        if self.history and self.history[-1].role == "tool":
            return True
        return bool(self.tools) and self.tool_choice not in ("auto", "none")

    def replace(self, **changes: object) -> Turn:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def request(self) -> ReplyRequest:
        """What a responder (a language model, the offline companion) is asked."""
        return ReplyRequest(self.instructions, self.history, persona=self.persona,
                            language=self.preferred_language, memory_note=self.memory_note,
                            open_threads=self.open_threads, tools=self.tools,
                            tool_choice=self.tool_choice, max_tokens=self.max_output_tokens,
                            temperature=self.temperature,
                            affect_note=affect_note(self.affect, self.language))
