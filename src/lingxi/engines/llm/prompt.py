"""The chat messages sent to a language model: persona, spoken style, memory and history.

Long calls keep the last turns word for word and fold older ones into a compact summary, so
the prompt stays small however long the call runs.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from lingxi.interfaces import ChatMessage, ReplyRequest
from lingxi.personas import PersonaBook
from lingxi.personas.model import Persona
from lingxi.personas.switch import switch_request
from lingxi.text import language_of


@functools.cache
def prompt_texts() -> dict[str, Any]:
    text = resources.files("lingxi.engines.llm").joinpath("prompt.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def answer_language(text: str, request: ReplyRequest, persona: Persona) -> str:
    """The language to answer `text` in: the session's, else the words' own."""
    return request.language or language_of(text, persona.language)


def reply_language(request: ReplyRequest, persona: Persona) -> str:
    return answer_language(request.last_user_text, request, persona)


def persona_prefix(persona: Persona) -> str:
    """The persona's fixed part of the system prompt: the same on every turn of every call, so
    the model server's prompt cache keeps it (only the turn's own tail is read again)."""
    t = prompt_texts()
    parts = [persona.system_prompt.strip(), t["style"] + persona.style.get(persona.language)]
    phrases = (*persona.catchphrases.zh, *persona.catchphrases.en)
    if phrases:
        parts.append(t["catchphrases"] + "; ".join(phrases))
    if persona.boundaries:
        parts.append(t["boundaries"] + " ".join(persona.boundaries))
    parts += [t["spoken"], t["truth"]]
    if persona.examples:
        shots = [f"{t['example_caller']}{e.caller}\n{t['example_you']}{e.reply}"
                 for e in persona.examples]
        parts.append(t["examples"] + "\n" + "\n".join(shots))
    return "\n\n".join(parts)


def system_prompt(request: ReplyRequest, persona: Persona, summary: str) -> str:
    """What stays the same for a whole call (or, with a summary, for several turns): the
    persona, the operator's instructions, the memory note. Anything that changes per turn goes
    after the words it belongs to (`turn_note`), because the model server's prompt cache
    keeps only an unchanged prefix; a system prompt that changed made it read the whole call
    again, 15–20 s on two cores."""
    t = prompt_texts()
    parts = [persona_prefix(persona)]
    if request.instructions.strip():
        parts.append(t["operator"] + request.instructions.strip())
    if request.memory_note.strip():
        parts.append(t["memory"] + request.memory_note.strip())
    if request.open_threads:
        parts.append(t["threads"] + "; ".join(request.open_threads[:3]))
    if summary:
        parts.append(t["summary"] + summary)
    return "\n\n".join(parts)


def turn_note(text: str, request: ReplyRequest, persona: Persona, book: PersonaBook) -> str:
    """What the model is told with one thing the caller said, derived from those words
    alone so it reads the same on every later turn: the language to answer in, and the role
    asked for ("talk like a pirate": no such persona, so the model plays it)."""
    t = prompt_texts()
    parts = []
    asked = switch_request(text, book)
    if asked is not None and asked.persona is None and asked.target:
        parts.append(t["role_play"].replace("{target}", asked.target))
    parts.append(t["language"][request.language] if request.language in ("zh", "en")
                 else t["language"]["follow"][answer_language(text, request, persona)])
    return " ".join(parts)


def summarise(older: tuple[ChatMessage, ...], max_chars: int) -> str:
    """An extractive summary of older turns, the most recent kept when space runs out."""
    t = prompt_texts()
    lines: list[str] = []
    used = 0
    for message in reversed(older):
        if message.role in ("system", "tool") or not message.text.strip():
            continue
        who = t["summary_caller"] if message.role == "user" else t["summary_you"]
        limit = 80 if message.role == "user" else 40
        text = " ".join(message.text.split())
        line = f"{who}: {text[:limit]}{'…' if len(text) > limit else ''}"
        if used + len(line) > max_chars:
            break
        lines.append(line)
        used += len(line) + 3
    return " / ".join(reversed(lines))


def window(count: int, keep: int) -> int:
    """Where the messages sent word for word begin: at least the last `keep` (fewer than twice
    that), the start moving `keep` messages at a time, so the summary in front of them (and
    the model server's cache of everything after it) stays the same for several turns."""
    if count <= keep or keep <= 0:
        return max(0, count - keep)
    return (count - keep) // keep * keep


def chat_messages(request: ReplyRequest, book: PersonaBook, *, keep: int = 12,
                  summary_chars: int = 600, images: bool = False) -> list[dict[str, Any]]:
    """The request as OpenAI chat messages: system prompt, then the recent messages, each of
    the caller's after its turn note, then how the caller sounds now."""
    persona = book.get(request.persona)
    history = request.history
    split = window(len(history), keep)
    while split > 0 and history[split].role == "tool":
        split -= 1  # a function's output stays with the call that asked for it
    older, recent = history[:split], history[split:]
    summary = summarise(older, summary_chars) if older else ""
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": system_prompt(request, persona, summary)}]
    for message in recent:
        if message.role == "user" and message.text.strip():
            # Before the words, not after: a call's first turn then finds the note in the
            # cache (warm.py reads it with the persona) and reads only the caller's words.
            messages.append({"role": "system",
                             "content": turn_note(message.text, request, persona, book)})
        messages.append(chat_message(message, images=images))
    if request.affect_note.strip():
        # Last: the note is heard in this turn's voice and cannot be derived again later, so
        # it is the one part of the prompt that changes from turn to turn.
        messages.append({"role": "system",
                         "content": prompt_texts()["affect"] + request.affect_note.strip()})
    return messages


def chat_message(message: ChatMessage, *, images: bool = False) -> dict[str, Any]:
    """One message in the chat API's shape, with its tool calls or the call it answers, and
    its images for a model that takes them."""
    out: dict[str, Any] = {"role": message.role, "content": message.text}
    if images and message.images:
        out["content"] = [*([{"type": "text", "text": message.text}] if message.text else []),
                          *({"type": "image_url", "image_url": {"url": url}}
                            for url in message.images)]
    if message.tool_calls:
        out["content"] = message.text or None
        out["tool_calls"] = [
            {"id": c.call_id, "type": "function",
             "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls]
    if message.tool_call_id is not None:
        out["tool_call_id"] = message.tool_call_id
    return out


def apology(request: ReplyRequest, book: PersonaBook) -> str:
    """What is said when the model cannot answer in time (the companion goes on from there)."""
    texts: dict[str, str] = prompt_texts()["apology"]
    return texts[reply_language(request, book.get(request.persona))]
