"""Pronunciation practice across calls: each scored attempt's word and score.

Each function is one transaction on a `MemoryStore`'s engine, run by the writer's task (never on
a call's audio path), by the recall as a call starts, or by the data routes and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from lingxi.memory.schema import PracticeScore
from lingxi.memory.store import MemoryStore, iso, utc

LONGEST_WORD = 64  # characters: a practised word or short phrase
RECALLED = 500  # newest attempts read as a call starts (words practised long ago drop out)


@dataclass(frozen=True, slots=True)
class Practised:
    """A word's last score before now, and when it was given."""

    word: str
    score: int
    at: datetime
    call_id: str | None = None


@dataclass(frozen=True, slots=True)
class LastPractice:
    """How a word went the last time the caller practised it."""

    score: int
    days_ago: int  # whole days since (0: earlier today)
    this_call: bool


def key(word: str) -> str:
    """Words are practised whatever their case ("Think", "think")."""
    return " ".join(word.lower().split())[:LONGEST_WORD]


async def add(store: MemoryStore, user_id: str, call_id: str, word: str, score: int,
              at: datetime) -> None:
    async with store.sessions.begin() as s:
        s.add(PracticeScore(user_id=user_id, call_id=call_id, word=key(word),
                            score=max(0, min(100, int(score))), at=at))


async def latest(store: MemoryStore, user_id: str) -> dict[str, Practised]:
    """Each practised word's newest score (of the newest `RECALLED` attempts)."""
    async with store.sessions() as s:
        rows = (await s.execute(
            select(PracticeScore.word, PracticeScore.score, PracticeScore.at,
                   PracticeScore.call_id)
            .where(PracticeScore.user_id == user_id)
            .order_by(PracticeScore.at.desc(), PracticeScore.id.desc()).limit(RECALLED))).all()
    found: dict[str, Practised] = {}
    for row in rows:
        at = utc(row.at)
        assert at is not None
        found.setdefault(row.word, Practised(row.word, row.score, at, row.call_id))
    return found


async def export(store: MemoryStore, user_id: str) -> list[dict[str, Any]]:
    async with store.sessions() as s:
        rows = (await s.scalars(select(PracticeScore).where(PracticeScore.user_id == user_id)
                                .order_by(PracticeScore.at, PracticeScore.id))).all()
    return [{"word": r.word, "score": r.score, "call_id": r.call_id, "at": iso(r.at)}
            for r in rows]
