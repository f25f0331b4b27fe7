"""The mood timeline's measurements and summaries, as plain data (no database, no clock).

A user turn becomes a `MoodTurn` (from the affect engine and the risk level the call already
measured, and the screening themes of `themes.py`); a call's turns become a `MoodSummary`; a
day is its calls' summaries taken together (weighted by turns), and the trend detector
(`trend.py`) reads days.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

RISK_ORDER = ("none", "distress", "passive", "active", "plan", "imminent")
LOW_LABELS = frozenset({"sad", "tired"})  # how a turn sounds when mood and energy are low


@dataclass(frozen=True, slots=True)
class MoodTurn:
    at: datetime
    label: str  # the affect engine's label (neutral, happy, sad, angry, anxious, tired)
    valence: float  # -1..1
    arousal: float  # -1..1
    risk: str  # the call's risk level after this turn
    themes: tuple[str, ...] = ()

    @property
    def low(self) -> bool:
        return self.label in LOW_LABELS


@dataclass(frozen=True, slots=True)
class MoodSummary:
    """A call, or a day of calls."""

    day: date
    turns: int
    valence: float  # mean over the turns
    arousal: float
    low: int  # turns that sounded low
    themes: Mapping[str, int] = field(default_factory=dict)  # theme → turns mentioning it
    risk: str = "none"  # the highest level reached
    calls: int = 1
    checkins: int = 0  # gentle check-ins said (calls that had one)

    def themes_json(self) -> str:
        return json.dumps(dict(sorted(self.themes.items())), ensure_ascii=False)


def highest_risk(levels: Iterable[str]) -> str:
    known = [RISK_ORDER.index(r) for r in levels if r in RISK_ORDER]
    return RISK_ORDER[max(known)] if known else "none"


def summarise_call(turns: Sequence[MoodTurn], day: date, *,
                   checked_in: bool = False) -> MoodSummary | None:
    """One call's turns, summarised; None for a call with no measured turn."""
    if not turns:
        return None
    count = len(turns)
    themes = Counter(t for turn in turns for t in turn.themes)
    return MoodSummary(day=day, turns=count,
                       valence=round(sum(t.valence for t in turns) / count, 4),
                       arousal=round(sum(t.arousal for t in turns) / count, 4),
                       low=sum(1 for t in turns if t.low), themes=dict(themes),
                       risk=highest_risk(t.risk for t in turns), calls=1,
                       checkins=int(checked_in))


def summarise_day(calls: Sequence[MoodSummary]) -> MoodSummary | None:
    """A day's calls taken together; each call weighs as many turns as it had."""
    if not calls:
        return None
    turns = sum(c.turns for c in calls)
    themes: Counter[str] = Counter()
    for c in calls:
        themes.update(c.themes)
    return MoodSummary(day=calls[0].day, turns=turns,
                       valence=round(sum(c.valence * c.turns for c in calls) / turns, 4),
                       arousal=round(sum(c.arousal * c.turns for c in calls) / turns, 4),
                       low=sum(c.low for c in calls), themes=dict(themes),
                       risk=highest_risk(c.risk for c in calls), calls=len(calls),
                       checkins=sum(c.checkins for c in calls))


def parse_themes(raw: str) -> dict[str, int]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}
