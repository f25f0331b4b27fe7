""""现在几点？" / "what day is it?": answered from the clock by the offline companion's words,
whoever answers the rest of the call (a language model does not know the time)."""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator
from importlib import resources

import yaml

from lingxi.companion import Companion
from lingxi.companion.engine import Now, local_now
from lingxi.text import split_clauses
from lingxi.turn.model import Turn
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill


@functools.cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    raw = yaml.safe_load(
        resources.files("lingxi.skills").joinpath("data/tell_time.yaml").read_text("utf-8"))
    return tuple(re.compile(p, re.I) for lang in ("zh", "en") for p in raw[lang])


class TellTime(Skill):
    name = "tell_time"

    def __init__(self, now: Now = local_now) -> None:
        self.now = now

    def claim(self, turn: Turn) -> Claim | None:
        said = turn.text.strip()
        return Claim(0.9, "the time or the date") if any(
            p.search(said) for p in _patterns()) else None

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        for clause in split_clauses(Companion(turn.personas, self.now).reply(turn.request())):
            yield Say(clause)
