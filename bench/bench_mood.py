"""The mood trend across calls (issue 21), measured on scripted callers over 30 days:

- how often the detector flags each kind of caller (declining within 14 days of the onset;
  persistently low; stable, one bad day, a cheerful caller who slept badly once, improving,
  acute), dev and held-out halves apart; `--tune` grid-searches the thresholds on dev only;
- the acute path: with a check-in due, a crisis turn still goes to safety first;
- the cost of the per-call summary: pure summarising, and the writer's database job (SQLite);
- `--voiced N`: N turns per kind spoken by Lingxi's own voices (a sad and a normal style) and
  heard by the affect engine's voice path, next to the text path.

    .venv/bin/python bench/bench_mood.py [--tune] [--risk-model] [--voiced 6] [--skip-cost]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.mood.sim import (
    KINDS,
    PER_HALF,
    SHOULD_FLAG,
    Lived,
    callers,
    first_flag,
    flagged_in_time,
    live,
)

from lingxi.memory.mood import MoodTurn, summarise_call, summarise_day
from lingxi.memory.themes import themes_in
from lingxi.memory.trend import Thresholds
from lingxi.safety.model import RiskModel


def pct(xs: list[float], q: float) -> float:
    ordered = sorted(xs)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def table(months: list[Lived], limits: Thresholds) -> dict[str, tuple[int, int, list[int]]]:
    """kind → (callers, flagged as expected (declining: in time; others: at all), days from
    onset to the flag for declining callers)."""
    out: dict[str, tuple[int, int, list[int]]] = {}
    for lived in months:
        first = first_flag(lived, limits)
        n, hit, delays = out.get(lived.caller.kind, (0, 0, []))
        ok = flagged_in_time(lived.caller, first)
        onset = lived.caller.onset
        if lived.caller.kind == "declining" and first is not None and onset is not None:
            delays = [*delays, first - onset]
        out[lived.caller.kind] = (n + 1, hit + int(ok), delays)
    return out


def show(name: str, rows: dict[str, tuple[int, int, list[int]]]) -> None:
    print(f"\n{name}: callers flagged (declining: within 14 days of the onset)")
    print(f"  {'kind':<16}{'callers':>8}{'flagged':>9}{'rate':>8}   days onset→flag")
    for kind in KINDS:
        n, hit, delays = rows.get(kind, (0, 0, []))
        if not n:
            continue
        want = "want ≥90%" if kind in SHOULD_FLAG else "want ≤10%"
        if kind in ("improving", "acute"):
            want = "(reported)"
        spread = f"{sorted(delays)}" if delays else ""
        print(f"  {kind:<16}{n:>8}{hit:>9}{hit / n:>8.0%}   {want} {spread}")


def score(rows: dict[str, tuple[int, int, list[int]]]) -> float:
    """For tuning: catch the declines and the persistently low, with few false alarms."""
    def rate(kind: str) -> float:
        n, hit, _ = rows[kind]
        return hit / n

    false = max(rate(k) for k in ("stable", "one_bad_day", "cheerful_sleep"))
    # Conservative: every false alarm costs more than a missed decline gains.
    return rate("declining") + 0.5 * rate("low") - 3.0 * false


def tune(months: list[Lived]) -> Thresholds:
    best, best_score = Thresholds(), -1e9
    grid = itertools.product((0.3, 0.4, 0.5, 0.6), (0.5, 0.6, 0.7), (3, 4, 5),
                             (0.15, 0.25, 0.35, 0.45), (0.4, 0.5, 0.6, 0.7), (2, 3))
    for low_day, share, theme_days, drop, recent, recent_themes in grid:
        limits = Thresholds(low_day=low_day, low_days_share=share, theme_days=theme_days,
                            drop=drop, recent=recent, recent_theme_days=recent_themes)
        value = score(table(months, limits))
        if value > best_score + 1e-9:
            best, best_score = limits, value
    print(f"\ntuned on dev (score {best_score:.3f}): {best}")
    return best


def labels(months: Iterable[Lived]) -> Counter[str]:
    total: Counter[str] = Counter()
    for lived in months:
        total.update(lived.labels)
    return total


async def acute_path(months: list[Lived], model: RiskModel | None) -> None:
    """With a check-in due, the crisis turn goes to safety, and the check-in is not said."""
    from tests.mood.fakes import DueMood

    from lingxi.safety.gate import SafetyGate
    from lingxi.skills import default_skills
    from lingxi.skills.testing import run_turn

    routed: Counter[str] = Counter()
    for lived in months:
        caller = lived.caller
        if caller.crisis is None:
            continue
        day, call, index = caller.crisis
        turns = caller.days[day][call]
        gate = SafetyGate(duties=None, model=model)
        for text in turns[:index]:
            gate.observe(text)
        run = await run_turn(default_skills(), turns[index], gate=gate, memory=None,
                             mood=DueMood())
        routed[run.skill] += 1
    risk = "rules + learned model" if model is not None else "rules"
    print(f"\nacute path ({risk}), a check-in due on the crisis turn: answered by "
          f"{dict(routed)}")


async def cost(repeat: int = 200) -> None:
    from lingxi.memory import mood_store
    from lingxi.memory.service import MemoryConfig, MemoryService
    from lingxi.memory.store import TurnWrite

    now = datetime(2026, 11, 20, 20, tzinfo=UTC)
    turns = [MoodTurn(now + timedelta(seconds=i), "sad", -0.5, -0.2, "none", ("sleep",))
             for i in range(12)]
    pure = []
    for _ in range(repeat):
        t = time.perf_counter()
        one = summarise_call(turns, now.date())
        assert one is not None
        summarise_day([one, one])
        pure.append(time.perf_counter() - t)
    with tempfile.TemporaryDirectory() as tmp:
        memory = MemoryService.open(MemoryConfig(url=f"{tmp}/mood.db"), wall=lambda: now)
        try:
            db = []
            for n in range(repeat // 4):
                call = f"c{n}"
                await memory.store.open_call("u-cost", call, now, None)
                for i, turn in enumerate(turns):
                    await memory.store.add_turn(TurnWrite("u-cost", call, f"i{i}", "user", "x",
                                                          turn.at, mood=replace(turn)))
                t = time.perf_counter()
                await mood_store.summarise(memory.store, call)
                db.append(time.perf_counter() - t)
        finally:
            await memory.close()
    from tests.mood.sim import phrases

    said = [str(p) for half in ("dev", "heldout") for lang in ("zh", "en")
            for key in ("level0", "level1", "level2", "level3", "small")
            for p in phrases(half)[lang][key]]
    themes = []
    for text in said * 4:
        t = time.perf_counter()
        themes_in(text)
        themes.append((time.perf_counter() - t) * 1e6)
    print(f"\nscreening themes per turn (in the writer, not the reply's path): p50 "
          f"{pct(themes, .5):.1f} µs  p95 {pct(themes, .95):.1f} µs (n={len(themes)})")
    us = [x * 1e6 for x in pure]
    ms = [x * 1e3 for x in db]
    print("\ncost of the summary per call (12 turns; 2 shared cores, load 3-5):")
    print(f"  summarise (pure)      p50 {pct(us, .5):7.1f} µs  p95 {pct(us, .95):7.1f} µs")
    print(f"  writer job (SQLite)   p50 {pct(ms, .5):7.2f} ms  p95 {pct(ms, .95):7.2f} ms  "
          "(read the call's rows, upsert call and day)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tune", action="store_true", help="grid-search thresholds on dev")
    parser.add_argument("--risk-model", action="store_true",
                        help="the acute path with the learned risk model beside the rules")
    parser.add_argument("--voiced", type=int, default=0, help="voiced turns per kind")
    parser.add_argument("--skip-cost", action="store_true")
    args = parser.parse_args()
    model = None
    if args.risk_model:
        from lingxi.safety.model import default_risk_model
        model = default_risk_model()
    # The detector reads affect and themes, not risk: the month runs with the risk rules (the
    # stored level per turn); the acute path below uses the model when asked.
    t = time.perf_counter()
    dev = [live(c) for c in callers("dev")]
    held = [live(c) for c in callers("heldout")]
    turns = sum(m.turns for m in dev + held)
    spent = time.perf_counter() - t
    print(f"{len(dev) + len(held)} callers x 30 days, {turns} turns through the affect engine "
          f"(text path) and the risk tracker (rules) in "
          f"{spent:.1f} s ({1000 * spent / turns:.2f} ms a turn; 2 shared cores, load 3-5)")
    print(f"affect labels: {dict(labels(dev + held))}")
    # Tuning sees more dev callers than are reported (other seeds, the dev words only): six
    # stable callers cannot show a false-alarm rate near 10%.
    limits = Thresholds()
    if args.tune:
        wide = {kind: 4 * n for kind, n in PER_HALF.items()}
        tuning = [live(c) for c in callers("dev", wide)]
        limits = tune(tuning)
        show("dev, the wider tuning set (4x, other seeds)", table(tuning, limits))
    show("dev", table(dev, limits))
    show("held-out (never tuned on)", table(held, limits))
    wider = {k: 4 * n for k, n in PER_HALF.items()}
    wide_held = [live(c) for c in callers("heldout", wider)]
    show("held-out, wider (4x, other seeds; never tuned on)", table(wide_held, limits))
    asyncio.run(acute_path(dev + held, model))
    if not args.skip_cost:
        asyncio.run(cost())
    if args.voiced:
        from tests.mood.voiced import voiced_sample
        voiced_sample(args.voiced)
    print(f"\nmedian turns a caller-day: {statistics.median(d.turns for m in dev for d in m.days)}")


if __name__ == "__main__":
    main()
