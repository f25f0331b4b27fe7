"""What a skill performs: words to say, audio to play, and effects on the call.

Skills know nothing of the wire; only the call turns these into protocol events.
"""

from __future__ import annotations

from dataclasses import dataclass

from lingxi.audio import Pcm
from lingxi.interfaces import ToolCall
from lingxi.safety.policy import SafetyAction
from lingxi.turn.model import Mode, Style


@dataclass(frozen=True, slots=True)
class Say:
    """Words to speak (a token, a clause or a whole text: the renderer cuts clauses)."""

    text: str
    # How to say it (a feeling: "happy", "sad"…, or "whisper"); None: the router decides, from
    # the call's mode, the caller's affect and the words.
    style: Style | None = None
    plain: bool = False  # safety's words: the default voice, never a character's
    persona: str | None = None  # whose voice; the router fills it in from the turn


@dataclass(frozen=True, slots=True)
class Audio:
    """Ready-made audio (a sung line) and the words it carries, for the transcript."""

    pcm: Pcm
    sample_rate: int
    caption: str


@dataclass(frozen=True, slots=True)
class CallTool:
    """The model calls one of the client's functions; the client runs it and asks again."""

    call: ToolCall


@dataclass(frozen=True, slots=True)
class SwitchPersona:
    persona: str


@dataclass(frozen=True, slots=True)
class SetStyle:
    """The caller asked Lingxi to whisper (or to speak normally) from now on."""

    style: Mode


@dataclass(frozen=True, slots=True)
class EndCall:
    """This reply is the goodbye: hang up once it has been heard."""


@dataclass(frozen=True, slots=True)
class SafetyNotice:
    """Risk seen: the crisis lines to show with this reply."""

    action: SafetyAction


Effect = SwitchPersona | SetStyle | EndCall | SafetyNotice
Segment = Say | Audio | CallTool | Effect
