"""Recognise a caller asking for another persona ("换林黛玉来跟我说", "talk like a pirate")."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import yaml

from lingxi.interfaces import ChatMessage
from lingxi.personas.book import PersonaBook
from lingxi.personas.model import Persona


@dataclass(frozen=True, slots=True)
class SwitchRequest:
    target: str  # how the caller named who they want ("林黛玉", "a pirate")
    persona: Persona | None  # the persona asked for; None: nobody by that name exists


@dataclass(frozen=True, slots=True)
class _Patterns:
    back: tuple[re.Pattern[str], ...]
    known: tuple[re.Pattern[str], ...]
    role_play: tuple[re.Pattern[str], ...]


@functools.cache
def _patterns() -> _Patterns:
    text = resources.files("lingxi.personas").joinpath("switch.yaml").read_text("utf-8")
    data = yaml.safe_load(text)

    def compiled(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.I) for lang in ("zh", "en") for p in data[key][lang])

    return _Patterns(compiled("back_to_default"), compiled("known_only"), compiled("role_play"))


_ARTICLES = re.compile(r"^(?:a|an|the|my)\s+", re.I)


def switch_request(text: str, book: PersonaBook) -> SwitchRequest | None:
    """What the caller asked for, if `text` asks for another persona."""
    said = text.strip()
    if not said:
        return None
    patterns = _patterns()
    if any(p.search(said) for p in patterns.back):
        return SwitchRequest("", book.get(book.default))
    for pattern in patterns.known:
        for match in pattern.finditer(said):
            persona = _named(match.group("who"), book)
            if persona is not None:
                return SwitchRequest(match.group("who").strip(), persona)
    for pattern in patterns.role_play:
        found = pattern.search(said)
        if found:
            who = found.group("who").strip()
            return SwitchRequest(who, _named(who, book))
    return None


def _named(who: str, book: PersonaBook) -> Persona | None:
    who = who.strip()
    return book.resolve(_ARTICLES.sub("", who)) or book.named_in(who)


def requested_persona(book: PersonaBook, current: str,
                      history: Sequence[ChatMessage]) -> str | None:
    """The persona a new user turn switches to, when it asks for a known one that is not
    `current`; None otherwise (no request, an unknown name, or after a reply)."""
    if not history or history[-1].role != "user":
        return None
    request = switch_request(history[-1].text, book)
    if request is None or request.persona is None or request.persona.id == current:
        return None
    return request.persona.id
