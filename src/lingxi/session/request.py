"""What the responder is asked: the history, plus who answers, in which language, and what is
remembered about the caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lingxi.interfaces import ChatMessage, ReplyRequest
from lingxi.personas import PersonaBook
from lingxi.personas.switch import requested_persona
from lingxi.protocol.session import SessionConfig

if TYPE_CHECKING:
    from lingxi.memory.context import CallMemory


async def reply_request(
    instructions: str, history: tuple[ChatMessage, ...], *, session: SessionConfig,
    personas: PersonaBook, memory: CallMemory | None,
    on_persona: Callable[[str], None] | None,
) -> ReplyRequest:
    options = session.lingxi
    language = options.language if options and options.language != "auto" else None
    persona = options.persona if options and options.persona else None
    memory_note, threads = "", tuple[str, ...]()
    if memory is not None:
        await memory.ready()
        found = memory.recollect()
        memory_note, threads = found.note, found.threads
        if persona is None and memory.persona in personas:
            persona = memory.persona  # the caller's last choice, from an earlier call
    persona = persona or personas.default
    # "换林黛玉来跟我说": the switch happens before the responder runs, so this very reply is
    # already in the new persona's words and voice.
    switched = requested_persona(personas, persona, history)
    if switched is not None:
        persona = switched
        if on_persona is not None:
            on_persona(switched)
    return ReplyRequest(instructions, history, persona=persona, language=language,
                        memory_note=memory_note, open_threads=threads)
