"""The companion as a streaming responder: its reply goes out a clause at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator

from lingxi.companion.engine import Companion, Now, local_now
from lingxi.interfaces import ReplyRequest
from lingxi.personas import PersonaBook
from lingxi.text import split_clauses


class CompanionResponder:
    name = "companion"

    def __init__(self, book: PersonaBook | None = None, now: Now = local_now) -> None:
        self.companion = Companion(book, now)

    async def respond(self, request: ReplyRequest) -> AsyncIterator[str]:
        for clause in split_clauses(self.companion.reply(request)):
            yield clause
