"""Scripted callers over 30 days, for the mood-trend detector (issue 21): stable, slowly
declining, improving, one bad day, an acute crisis, a cheerful person who mentions sleep once,
and persistently low. Their words come from `phrases_dev.toml` (dev half) or
`phrases_heldout.toml` (held-out half); both were written, with these trajectories, before the
detector was tuned, and the held-out half is never tuned on.

Every turn goes through the real engines as a call would: the affect engine (its text path,
one reader per call: `CallerAffect.read`), the risk tracker (rules, plus the learned model if
given; one per call), the theme detector; then the production summaries and `trend.detect`
after each day.
"""

from __future__ import annotations

import functools
import random
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from lingxi.engines.affect import CallerAffect
from lingxi.memory.mood import MoodSummary, MoodTurn, summarise_call, summarise_day
from lingxi.memory.themes import THEMES, themes_in
from lingxi.memory.trend import Thresholds, detect
from lingxi.safety.model import RiskModel
from lingxi.safety.tracker import RiskTracker

HERE = Path(__file__).resolve().parent
DAYS = 30
START = date(2026, 11, 1)
KINDS = ("stable", "declining", "improving", "one_bad_day", "acute", "cheerful_sleep", "low")
SHOULD_FLAG = frozenset({"declining", "low"})
# Callers per kind in each half (80 in all).
PER_HALF = {"stable": 6, "declining": 10, "improving": 5, "one_bad_day": 6, "acute": 4,
            "cheerful_sleep": 5, "low": 4}


@dataclass(frozen=True, slots=True)
class Caller:
    id: str
    kind: str
    lang: str
    half: str  # "dev" | "heldout"
    onset: int | None  # the day a decline begins
    days: tuple[tuple[tuple[str, ...], ...], ...]  # per day: calls, each a tuple of turns
    crisis: tuple[int, int, int] | None = None  # (day, call, turn) of the acute turn


@functools.cache
def phrases(half: str) -> dict[str, Any]:
    name = "phrases_dev.toml" if half == "dev" else "phrases_heldout.toml"
    return tomllib.loads((HERE / name).read_text("utf-8"))


def _level(kind: str, day: int, rng: random.Random, plan: dict[str, float]) -> float:
    """The caller's mood that day: 0 good, 1 ordinary, 2 low, 3 very low."""
    base = plan["base"]
    if kind == "declining" and day >= plan["onset"]:
        base += (day - plan["onset"]) * plan["slope"]
    elif kind == "improving":
        base = max(0.6, plan["base"] - day * plan["slope"])
    elif kind == "one_bad_day" and day == plan["bad"]:
        return 3.0
    return max(0.0, min(3.0, base + rng.gauss(0.0, 0.45)))


def _plan(kind: str, rng: random.Random) -> dict[str, float]:
    plan = {"base": rng.uniform(0.4, 1.2), "onset": 99.0, "slope": 0.0, "bad": -1.0,
            "themes_low": 0.04}
    if kind == "declining":
        plan.update(onset=rng.randint(5, 12), slope=rng.uniform(0.12, 0.2))
    elif kind == "improving":
        plan.update(base=rng.uniform(2.3, 2.8), slope=rng.uniform(0.08, 0.12))
    elif kind == "one_bad_day":
        plan.update(bad=rng.randint(8, 28))
    elif kind == "cheerful_sleep":
        plan.update(base=rng.uniform(0.0, 0.5), themes_low=0.0)
    elif kind == "low":
        plan.update(base=rng.uniform(2.0, 2.6))
    return plan


def _turn(words: dict[str, Any], level: float, rng: random.Random, themes: list[str],
          theme_p: float) -> str:
    if rng.random() < theme_p:
        bank = words["themes"][rng.choice(themes)]
        return str(rng.choice(bank))
    if rng.random() < 0.35:
        return str(rng.choice(words["small"]))
    step = max(0, min(3, round(level + rng.uniform(-0.5, 0.5))))
    return str(rng.choice(words[f"level{step}"]))


def make_caller(kind: str, index: int, half: str) -> Caller:
    rng = random.Random(f"{half}-{kind}-{index}")
    lang = "zh" if index % 2 == 0 else "en"
    words = phrases(half)[lang]
    plan = _plan(kind, rng)
    themes = rng.sample(list(THEMES), 3)
    days: list[tuple[tuple[str, ...], ...]] = []
    crisis_day = rng.randint(10, 25) if kind == "acute" else -1
    sleep_day = rng.randint(5, 25) if kind == "cheerful_sleep" else -1
    crisis: tuple[int, int, int] | None = None
    for day in range(DAYS):
        level = _level(kind, day, rng, plan)
        calls = 0 if rng.random() < 0.2 else (2 if rng.random() < 0.15 else 1)
        if day in (crisis_day, sleep_day, int(plan["bad"])):
            calls = max(calls, 1)
        theme_p = plan["themes_low"] if level < 1.7 else 0.2 * (level - 1.0)
        if kind == "one_bad_day" and day == int(plan["bad"]):
            theme_p = 0.5
        day_calls = []
        for c in range(calls):
            turns = [_turn(words, level, rng, themes, theme_p)
                     for _ in range(rng.randint(3, 5))]
            if day == sleep_day and c == 0:
                turns[1] = str(rng.choice(words["themes"]["sleep"]))
            if day == crisis_day and c == 0:
                turns[2] = str(rng.choice(words["crisis"]))
                crisis = (day, 0, 2)
            day_calls.append(tuple(turns))
        days.append(tuple(day_calls))
    onset = int(plan["onset"]) if kind == "declining" else None
    return Caller(f"{half}-{kind}-{index}", kind, lang, half, onset, tuple(days), crisis)


def callers(half: str, per_kind: dict[str, int] | None = None) -> list[Caller]:
    counts = per_kind or PER_HALF
    return [make_caller(kind, i, half) for kind in KINDS for i in range(counts[kind])]


@dataclass
class Lived:
    """A caller's month as the engines measured it."""

    caller: Caller
    days: list[MoodSummary] = field(default_factory=list)
    turns: int = 0
    labels: dict[str, int] = field(default_factory=dict)


def live(caller: Caller, model: RiskModel | None = None,
         reader: Callable[[], CallerAffect] = CallerAffect) -> Lived:
    """Run every turn through the engines; summarise calls and days as production does."""
    out = Lived(caller)
    for index, calls in enumerate(caller.days):
        day = START + timedelta(days=index)
        summaries = []
        for c, turns in enumerate(calls):
            ear, risk = reader(), RiskTracker(model=model)
            measured = []
            for t, text in enumerate(turns):
                affect = ear.read(text)
                level = risk.observe(text).call_level.label
                at = datetime(day.year, day.month, day.day, 20, c, t, tzinfo=UTC)
                measured.append(MoodTurn(at, affect.label, affect.valence, affect.arousal,
                                         level, themes_in(text)))
                out.labels[affect.label] = out.labels.get(affect.label, 0) + 1
            out.turns += len(measured)
            summary = summarise_call(measured, day)
            if summary is not None:
                summaries.append(summary)
        whole = summarise_day(summaries)
        if whole is not None:
            out.days.append(whole)
    return out


def first_flag(lived: Lived, limits: Thresholds | None = None) -> int | None:
    """The first day (0-based) on which the detector, run after that day's calls, flags."""
    for index in range(DAYS):
        today = START + timedelta(days=index)
        if detect(lived.days, today, limits or Thresholds()).flagged:
            return index
    return None


def flagged_in_time(caller: Caller, first: int | None) -> bool:
    """Declining: flagged within 14 days of the onset (and not before it). Low: flagged at
    all. Others: whether flagged at all (a false alarm)."""
    if first is None:
        return False
    if caller.kind == "declining":
        assert caller.onset is not None
        return caller.onset <= first <= caller.onset + 14
    return True


def months(half: str, model: RiskModel | None = None) -> Iterator[Lived]:
    for caller in callers(half):
        yield live(caller, model)
