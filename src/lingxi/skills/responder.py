"""The fallback skill: the responder (a language model by URL or the offline companion)
answers every turn no other skill claims."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from lingxi.interfaces import Responder, ToolCall, calls_tools
from lingxi.turn.model import Turn
from lingxi.turn.segments import CallTool, Say, Segment
from lingxi.turn.skill import Claim, Refused, Skill


class ResponderSkill(Skill):
    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.name = responder.name

    def claim(self, turn: Turn) -> Claim | None:
        return Claim(0.1, "the fallback")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        if turn.tools and turn.tool_choice not in ("auto", "none") and \
                not calls_tools(self.responder):
            raise Refused(
                "tools_unsupported", f"tool_choice {turn.tool_choice!r} needs a language model "
                f"that calls tools; {self.responder.name} does not (set LINGXI_LLM_BASE_URL)")
        # aclosing: a reply stopped early (barge-in, the guard) must stop the model too.
        async with contextlib.aclosing(self.responder.respond(turn.request())) as tokens:  # type: ignore[type-var]
            async for token in tokens:
                yield CallTool(token) if isinstance(token, ToolCall) else Say(token)
