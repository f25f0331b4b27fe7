"""A false interruption: the caller said only "嗯" / "uh-huh" (or made a sound that carried no
words) over Lingxi. The barge-in already stopped the reply at once; this picks it up again
from the clause that was cut, instead of answering the sound."""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import resources

import yaml

from lingxi.turn.model import Turn
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill

_NOT_WORDS = re.compile(r"[\s\W_]+")


@dataclass(frozen=True, slots=True)
class _Data:
    backchannels: frozenset[str]
    lines: dict[str, tuple[str, ...]]


def _bare(text: str) -> str:
    return _NOT_WORDS.sub("", text.lower())


@functools.cache
def _data() -> _Data:
    raw = yaml.safe_load(
        resources.files("lingxi.skills").joinpath("data/resume.yaml").read_text("utf-8"))
    words = frozenset(_bare(w) for lang in ("zh", "en") for w in raw["backchannels"][lang])
    lines = {lang: tuple(raw["lines"][lang]) for lang in ("zh", "en")}
    if not all(lines.values()):
        raise ValueError("skills/data/resume.yaml: lines are needed in zh and en")
    return _Data(words, lines)


def is_backchannel(text: str) -> bool:
    """Only an acknowledgement ("嗯嗯", "uh-huh."), or nothing that was words at all."""
    return _bare(text) in _data().backchannels or not _bare(text)


class ResumeAfterBackchannel(Skill):
    name = "resume"

    def claim(self, turn: Turn) -> Claim | None:
        if not turn.cut_short or not is_backchannel(turn.text):
            return None
        return Claim(0.9, "only a backchannel over the reply")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        lines = _data().lines[turn.language]
        yield Say(lines[len(turn.history) % len(lines)])
        yield Say(turn.cut_short)
