"""Whisper mode: "小声跟我说句悄悄话" / "whisper to me" → Lingxi whispers, in the persona's own
voice, and keeps whispering in later replies until "正常说话" / "speak normally"."""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import resources

import yaml

from lingxi.text import length_in_words
from lingxi.turn.model import Mode, Turn
from lingxi.turn.segments import Say, Segment, SetStyle
from lingxi.turn.skill import Claim, Skill

_LONGEST_REQUEST = 20  # Han characters or words


@dataclass(frozen=True, slots=True)
class _Data:
    on: tuple[re.Pattern[str], ...]
    off: tuple[re.Pattern[str], ...]
    others: tuple[re.Pattern[str], ...]  # someone else whispering: not a request
    lines: dict[str, dict[str, tuple[str, ...]]]  # "on"/"off" → language → lines


@functools.cache
def _data() -> _Data:
    raw = yaml.safe_load(
        resources.files("lingxi.skills").joinpath("data/whisper.yaml").read_text("utf-8"))

    def patterns(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.I) for lang in ("zh", "en") for p in raw[key][lang])

    lines = {mode: {lang: tuple(raw["lines"][mode][lang]) for lang in ("zh", "en")}
             for mode in ("on", "off")}
    if not all(said for by_lang in lines.values() for said in by_lang.values()):
        raise ValueError("skills/data/whisper.yaml: every mode needs lines in zh and en")
    return _Data(patterns("on"), patterns("off"), patterns("others"), lines)


def requested_style(text: str) -> Mode | None:
    """The style the caller asks for in `text`, if they ask for one."""
    data = _data()
    if any(p.search(text) for p in data.others):
        return None
    if any(p.search(text) for p in data.off):
        return "normal"
    if any(p.search(text) for p in data.on):
        return "whisper"
    return None


class Whisper(Skill):
    name = "whisper"

    def claim(self, turn: Turn) -> Claim | None:
        # A request is short, and about Lingxi: "同事小声说我坏话…" is a story about someone else.
        if length_in_words(turn.text) > _LONGEST_REQUEST or requested_style(turn.text) is None:
            return None
        return Claim(0.9, "asked to whisper or to speak normally")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        style = requested_style(turn.text) or "whisper"
        lines = _data().lines["on" if style == "whisper" else "off"][turn.language]
        yield SetStyle(style)
        yield Say(lines[len(turn.history) % len(lines)], style=style)
