"""The language model's second opinion on borderline turns (issue 15, part 4).

When the learned risk model is unsure whether a turn reaches the next level up (the level's
probability is at least half of what the model needs to call it), the language model — the
embedded brain or the model by URL — is asked a strict classification prompt
(`data/second_opinion.toml`). It runs on the call's event loop as its own task, after the reply
to that turn has been said, so it never delays a reply nor takes the model's slot from one; its
answer can only raise the call's level, for the turns that follow and for escalation. It is
rate-limited per call and time-limited; a failure, a timeout or an answer that is not a level
changes nothing. The caller's words go to the model only, never to a log.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lingxi.clock import Clock
from lingxi.safety.data import DATA_DIR, SafetyDataError, read_toml
from lingxi.safety.levels import LEVEL_NAMES, Level

log = logging.getLogger(__name__)
OPINION_FILE = "second_opinion.toml"
# The chat messages ({"role", "content"}) → the model's whole answer. Raises on any failure.
Ask = Callable[[list[dict[str, str]]], Awaitable[str]]
_LEVEL_WORD = re.compile(r"\b(" + "|".join(LEVEL_NAMES) + r")\b", re.I)


@dataclass(frozen=True, slots=True)
class OpinionPrompt:
    system: str
    examples: tuple[tuple[str, str], ...]  # (what a caller said, its level)

    def messages(self, turns: Sequence[str]) -> list[dict[str, str]]:
        """The chat: the instructions, each example as an earlier exchange, then the turns."""
        chat = [{"role": "system", "content": self.system}]
        for said, level in self.examples:
            chat += [{"role": "user", "content": said}, {"role": "assistant", "content": level}]
        chat.append({"role": "user", "content": " / ".join(t.strip() for t in turns)})
        return chat


def load_prompt(path: Path | None = None) -> OpinionPrompt:
    path = path or DATA_DIR / OPINION_FILE
    document = read_toml(path)
    system, examples = document.get("system"), document.get("example", [])
    if not isinstance(system, str) or any(name not in system for name in LEVEL_NAMES):
        raise SafetyDataError(f"{path}: `system` must be text that names all six levels")
    pairs = []
    for number, example in enumerate(examples, 1):
        said = example.get("caller") if isinstance(example, dict) else None
        level = example.get("level") if isinstance(example, dict) else None
        if not isinstance(said, str) or not said.strip() or level not in LEVEL_NAMES:
            raise SafetyDataError(f"{path}: [[example]] #{number} needs `caller` text and a "
                                  f"`level` ({', '.join(LEVEL_NAMES)})")
        pairs.append((said, str(level)))
    return OpinionPrompt(system, tuple(pairs))


@functools.cache
def default_prompt() -> OpinionPrompt:
    return load_prompt()


def borderline(level: Level, probabilities: Sequence[float],
               thresholds: Sequence[float]) -> bool:
    """Whether the model is unsure that the turn stays at `level`: the next level that would
    change what Lingxi does (at least passive) has half the probability it needs or more."""
    if level >= Level.IMMINENT or len(probabilities) != len(Level):
        return False
    candidate = max(level + 1, Level.PASSIVE)
    return sum(probabilities[candidate:]) >= thresholds[candidate] / 2


def parse_level(answer: str) -> Level | None:
    """The level the model named first; None if it named none."""
    found = _LEVEL_WORD.search(answer)
    return Level.parse(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class OpinionLimits:
    timeout_s: float = 30.0  # a slower answer is dropped (a cold model reads the prompt ~15 s)
    every_s: float = 20.0  # at most one question per call this often
    per_call: int = 12  # and this many in all


class SecondOpinion:
    """One call's asker: rate-limited, time-limited, never raising an error. `quiet`: wait
    until no reply is being made or said (the call's), so the model is asked in between."""

    def __init__(self, ask: Ask, clock: Clock, quiet: Callable[[], Awaitable[None]],
                 limits: OpinionLimits | None = None,
                 prompt: OpinionPrompt | None = None) -> None:
        self._ask = ask
        self._clock = clock
        self._quiet = quiet
        self._limits = limits or OpinionLimits()
        self._prompt = prompt or default_prompt()
        self._asked = 0
        self._last: float | None = None

    def may_ask(self) -> bool:
        """Within the call's rate limit now (and counts the question when it is)."""
        now = self._clock.now()
        if self._asked >= self._limits.per_call or (
                self._last is not None and now - self._last < self._limits.every_s):
            return False
        self._asked += 1
        self._last = now
        return True

    async def review(self, turns: Sequence[str]) -> Level | None:
        """Once the call is quiet, the model's level for the caller's recent `turns` (oldest
        first); None on a failure or no answer within the time limit."""
        await self._quiet()
        asking = asyncio.ensure_future(self._level(turns))
        timer = asyncio.ensure_future(self._clock.sleep(self._limits.timeout_s))
        try:
            await asyncio.wait({asking, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
            asking.cancel()
        if not asking.done() or asking.cancelled():
            log.info("second opinion: no answer within %.0f s", self._limits.timeout_s)
            return None
        return asking.result()

    async def _level(self, turns: Sequence[str]) -> Level | None:
        try:
            answer = await self._ask(self._prompt.messages(turns))
        except Exception as exc:  # a model failure changes nothing
            log.info("second opinion failed: %s", type(exc).__name__)
            return None
        level = parse_level(answer)
        if level is None:
            log.info("second opinion: the model named no level")
        return level
