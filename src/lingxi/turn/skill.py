"""The skill seam: claim a turn cheaply, then perform it as a stream of segments."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from lingxi.interfaces import ChatMessage
from lingxi.turn.model import Turn
from lingxi.turn.segments import Segment

CONFIDENT = 0.5  # a claim at least this sure wins the turn


class Refused(Exception):
    """A skill cannot do what the client asked (a required tool call with no model that
    makes them): the reply fails with this code and message, said plainly to the client."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Claim:
    confidence: float  # 0..1
    reason: str = ""


class Skill:
    """One capability. Subclasses override what they need:

    - `prepare(turn)`: adjust the turn before any skill claims it (a persona switch);
    - `claim(turn)`: synchronous and cheap, None when the turn is not this skill's;
    - `perform(turn)`: the reply, as segments (close the stream to stop the work);
    - `hotwords(history)`: words the caller is likely to say next, for the recogniser (cheap:
      read as each utterance starts).
    """

    name = "skill"

    def hotwords(self, history: Sequence[ChatMessage]) -> tuple[str, ...]:
        return ()

    def prepare(self, turn: Turn) -> Turn:
        return turn

    def claim(self, turn: Turn) -> Claim | None:
        return None

    def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        raise NotImplementedError(f"{self.name} claims turns it cannot perform")
