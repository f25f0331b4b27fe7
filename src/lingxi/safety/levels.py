"""Risk levels, ordered by severity, and the reasons an assessment gives."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any


class Level(IntEnum):
    """How much danger a turn (or a call) shows; compare with `<`, `>=`, `max()`.

    - `NONE`: nothing of concern (idioms such as 笑死我了 or "kill the process" included).
    - `DISTRESS`: low mood, no thought of death.
    - `PASSIVE`: wishes to be dead or not to wake up, "better off without me", or worry
      that someone else is at risk.
    - `ACTIVE`: wants to kill or hurt oneself.
    - `PLAN`: a method, means, time, preparation, goodbye letters, or asks for lethal methods.
    - `IMMINENT`: an attempt in progress or the means at hand now.

    How training and held-out lines are labelled, with the boundary cases decided:
    `docs/risk_labels.md`.
    """

    NONE = 0
    DISTRESS = 1
    PASSIVE = 2
    ACTIVE = 3
    PLAN = 4
    IMMINENT = 5

    @property
    def label(self) -> str:
        """The wire name: "none", "distress", "passive", "active", "plan" or "imminent"."""
        return self.name.lower()

    def __str__(self) -> str:
        return self.label

    @classmethod
    def parse(cls, name: str) -> Level:
        """The level called `name` (case-insensitive); ValueError names the six on a typo."""
        try:
            return cls[name.strip().upper()]
        except KeyError:
            names = ", ".join(level.label for level in cls)
            raise ValueError(f"unknown risk level {name!r} (expected one of: {names})") from None


LEVEL_NAMES: tuple[str, ...] = tuple(level.label for level in Level)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a level was given: a stable machine code, the level it supports, plain words.
    `about_other`: the words are about someone else at risk, not the caller (a friend who
    wants to die, a brother on a ledge now) — the reply then speaks to a worried bystander."""

    code: str
    level: Level
    text: str
    about_other: bool = False

    def as_json(self) -> dict[str, str]:
        out = {"code": self.code, "level": self.level.label, "text": self.text}
        if self.about_other:
            out["about"] = "other"
        return out


@dataclass(frozen=True, slots=True)
class Assessment:
    """One turn's risk.

    `reasons` lists every rule that supports a level above none, most severe first.
    `matched` lists the codes of every rule and mask that matched, including idioms and
    negations that were set aside (useful to see why something did *not* fire). Neither
    repeats the transcript.
    """

    level: Level
    reasons: tuple[Reason, ...] = ()
    matched: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """`{"level": ..., "reasons": [{"code", "level", "text"}, ...], "matched": [...]}`."""
        return {"level": self.level.label,
                "reasons": [reason.as_json() for reason in self.reasons],
                "matched": list(self.matched)}
