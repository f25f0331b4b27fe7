"""Build the `Turn` once per reply: what was said, by whom to be answered, in which language,
what is remembered, how risky the call is, and the caller's audio."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lingxi.interfaces import Affect, ChatMessage
from lingxi.personas import PersonaBook
from lingxi.protocol.session import SessionConfig
from lingxi.text import language_of
from lingxi.turn import Turn, TurnAudio

if TYPE_CHECKING:
    from lingxi.memory.context import CallMemory


async def build_turn(
    instructions: str, history: tuple[ChatMessage, ...], *, session: SessionConfig,
    personas: PersonaBook, memory: CallMemory | None, risk: str, at: float,
    calm_again: bool = False,
    audio: TurnAudio | None = None, cut_short: str = "", affect: Affect | None = None,
    tools: list[dict[str, Any]] | None = None, tool_choice: str | dict[str, Any] | None = None,
    limits: tuple[int | None, float | None] = (None, None),
) -> Turn:
    """`tools` and `tool_choice` given for one response replace the session's; `limits` are
    the reply's max_output_tokens and temperature."""
    options = session.lingxi
    preferred = options.language if options and options.language != "auto" else None
    persona = options.persona if options and options.persona else None
    memory_note, threads = "", tuple[str, ...]()
    if memory is not None:
        await memory.ready()
        found = memory.recollect()
        memory_note, threads = found.note, found.threads
        if persona is None and memory.persona in personas:
            persona = memory.persona  # the caller's last choice, from an earlier call
    persona = persona or personas.default
    text = history[-1].text.strip() if history and history[-1].role == "user" else ""
    language = preferred or language_of(text, personas.get(persona).language)
    return Turn(text=text, language=language, history=history, persona=persona,
                personas=personas, instructions=instructions, preferred_language=preferred,
                memory_note=memory_note, open_threads=threads,
                memory=memory if memory is not None and memory.service is not None else None,
                mood=memory.mood if memory is not None and memory.service is not None else None,
                region=options.region if options else None,
                risk=risk, calm_again=calm_again,
                style=options.style if options else "normal", audio=audio, at=at,
                cut_short=cut_short, affect=affect,
                tools=tuple(session.tools if tools is None else tools),
                tool_choice=session.tool_choice if tool_choice is None else tool_choice,
                max_output_tokens=limits[0], temperature=limits[1])
