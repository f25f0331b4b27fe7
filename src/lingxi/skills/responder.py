"""The fallback skill: the responder (a language model by URL or the offline companion)
answers every turn no other skill claims."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from lingxi.interfaces import Responder
from lingxi.turn.model import Turn
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill


class ResponderSkill(Skill):
    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.name = responder.name

    def claim(self, turn: Turn) -> Claim | None:
        return Claim(0.1, "the fallback")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        # aclosing: a reply stopped early (barge-in, the guard) must stop the model too.
        async with contextlib.aclosing(self.responder.respond(turn.request())) as tokens:  # type: ignore[type-var]
            async for token in tokens:
                yield Say(token)
