"""How a model's reply begins: not with the caller's own question, and in the character's voice.

Two habits of a small model that a caller hears at once, both decided on the first clause
(the TTS starts on a whole clause anyway, so holding it back costs nothing audible):
- it reads the question back ("夏天去哪里旅游比较凉快？你可以…"): a first clause that is
  only the caller's own words is dropped;
- playing 唐僧 or 林黛玉 it soon answers like anyone: the offline companion already puts one
  of the persona's openers ("阿弥陀佛，", "唉，") before a line without any of its marks, and
  a model's reply gets the same.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import AsyncIterator

from lingxi.engines.streams import closing
from lingxi.interfaces import ToolCall
from lingxi.personas.model import Persona

_CLAUSE_END = re.compile(r"[，。！？；…,!?;]|\.(?:\s|$)")
_MAX_HELD = 40  # characters: a first clause this long without a break is decided anyway
_SQUASH = re.compile(r"[\s\W_]+")
_MIN_ECHO = 6  # squashed characters: "好的，" said back is not an echo worth dropping


def opener_for(persona: Persona, lang: str, caller_text: str) -> str:
    """One of the persona's openers, the same for the same words (varied across turns)."""
    openers = persona.companion.openers.get(lang)
    return openers[zlib.crc32(caller_text.encode()) % len(openers)] if openers else ""


def echoes(clause: str, caller_text: str) -> bool:
    """The clause is nothing but a stretch of what the caller just said."""
    said = _SQUASH.sub("", clause.lower())
    return len(said) >= _MIN_ECHO and said in _SQUASH.sub("", caller_text.lower())


async def opening(tokens: AsyncIterator[str | ToolCall], persona: Persona, lang: str,
                  caller_text: str) -> AsyncIterator[str | ToolCall]:
    """Pass `tokens` through with the first clause shaped as above. Closing this stream closes
    the one it reads."""
    held = dropped = ""
    decided = False
    async with closing(tokens) as stream:
        async for token in stream:
            if decided:
                yield token
                continue
            if isinstance(token, ToolCall):
                if held.strip():
                    yield _in_voice(held, persona, lang, caller_text)
                held, decided = "", True
                yield token
                continue
            held += token
            clause = _first_clause(held)
            if clause is None:
                continue
            if echoes(clause, caller_text):
                held, dropped = held[len(clause):], dropped + clause
                continue  # the next clause decides
            if dropped:
                held = _capitalised(held)
            yield _in_voice(held, persona, lang, caller_text)
            held, decided = "", True
    if not decided and (held.strip() or dropped):
        # A reply that was all echo is still said rather than nothing.
        yield _in_voice(held if held.strip() else dropped, persona, lang, caller_text)


def _first_clause(held: str) -> str | None:
    """The held text up to and including its first clause break, or None if not yet."""
    match = _CLAUSE_END.search(held, len(held) - len(held.lstrip()))
    if match is not None:
        return held[:match.end()]
    return held if len(held) >= _MAX_HELD else None


def _capitalised(text: str) -> str:
    """What follows a dropped echo starts a sentence now ("sounds fun!" → "Sounds fun!")."""
    body = text.lstrip()
    return body[:1].upper() + body[1:]


def _in_voice(text: str, persona: Persona, lang: str, caller_text: str) -> str:
    text = text.lstrip()
    if persona.companion.sounds_like(text, lang):
        return text
    return opener_for(persona, lang, caller_text) + text
