"""Choosing lines: deterministic, varied, and in the persona's own words."""

from __future__ import annotations

import zlib
from typing import Any

from lingxi.companion.data import Dialogue
from lingxi.personas.model import Persona


class _Slots(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


class Picker:
    """Picks one variant per line group. The same turn and `attempt` always give the same
    reply (tests pin it); another `attempt` shifts every group to its next variant."""

    def __init__(self, dialogue: Dialogue, persona: Persona, lang: str, seed: int,
                 attempt: int) -> None:
        self.dialogue = dialogue
        self.persona = persona
        self.lang = lang
        self._seed = seed
        self._attempt = attempt
        style = persona.companion
        self._slots = {"me": style.me.get(lang), "you": style.you.get(lang),
                       "name": persona.name.get(lang)}

    def choose(self, group: str, variants: tuple[str, ...]) -> str:
        if not variants:
            return ""
        index = (self._seed + self._attempt + zlib.crc32(group.encode())) % len(variants)
        return variants[index]

    def variants(self, group: str) -> tuple[str, ...]:
        override = self.persona.companion.lines.get(group)
        if override is not None and override.get(self.lang):
            return override.get(self.lang)
        return self.dialogue.lines.get(group, ())

    def line(self, group: str, **slots: str) -> str:
        return self.fill(self.choose(group, self.variants(group)), **slots)

    def pick(self, group: str, variants: tuple[str, ...], **slots: str) -> str:
        """A line from situation data, unless the persona has its own for that group."""
        override = self.persona.companion.lines.get(group)
        if override is not None and override.get(self.lang):
            variants = override.get(self.lang)
        return self.fill(self.choose(group, variants), **slots)

    def fill(self, template: str, **slots: str) -> str:
        return template.format_map(_Slots({**self._slots, **slots}))

    def in_character(self, text: str) -> str:
        """Prefix an opener when nothing in the reply sounds like the persona yet."""
        style = self.persona.companion
        if style.sounds_like(text, self.lang):
            return text
        return self.choose("opener", style.openers.get(self.lang)) + text
