#!/usr/bin/env python
"""When a call's voice may be light again: the distress cost of the learned risk model.

A call keeps its highest risk level, and at any level above none the voice keeps off its light
styles (no "happy" or "playful" delivery, no "哇！" opening). Since round 15 the default heads
rate more everyday turns `distress`, so most everyday calls end the call at distress. This
bench counts, per turn of a risk set's calls (rules and the shipped model, in call order), when
the voice may be light:

- `call level`: as before round 16 — only while the call's level is none;
- `calm run`: also when the call only reached distress and its last `CALM_TURNS` turns were
  each rated none (`RiskTracker.calm_again`).

Turns are grouped by their label (the call's level after the turn, as the set was written):
light on a turn labelled none is what a caller wants back; light on a turn labelled distress or
higher is the harm. Also: 100 everyday calls of ten turns drawn at random (seed 0) from the
everyday speech of bench_risk (`--everyday`).

Run:  .venv/bin/python bench/risk_light_styles.py --set heldout11 [--everyday] [--show]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_risk import SET_CHOICES, everyday_lines, risk_sets
from lingxi.safety import Level, RiskTracker
from lingxi.safety.model import RiskModel
from lingxi.safety.riskdata import Example

ARMS = ("call level", "calm run")


def lights(texts: Sequence[str], model: RiskModel) -> list[tuple[bool, bool]]:
    """Per turn: may the voice be light by the call level, by the calm run."""
    tracker = RiskTracker(model=model)
    out = []
    for text in texts:
        tracker.observe(text)
        out.append((tracker.level == Level.NONE, tracker.level == Level.NONE or tracker.calm_again))
    return out


def score_set(name: str, calls: list[list[Example]],
              choose: Callable[[list[Example]], RiskModel], show: bool) -> None:
    light: Counter[tuple[str, str]] = Counter()
    turns: Counter[str] = Counter()
    for call in calls:
        pairs = lights([t.text for t in call], choose(call))
        for turn, pair in zip(call, pairs, strict=True):
            group = "none" if turn.level == Level.NONE else (
                "distress" if turn.level == Level.DISTRESS else "passive+")
            turns[group] += 1
            for arm, ok in zip(ARMS, pair, strict=True):
                light[arm, group] += ok
            if show and pair[1] and not pair[0]:
                print(f"  freed  [{turn.level.label:8s}] {turn.call or '-'}")
    print(f"\n== {name}: turns where the voice may be light, by the turn's label")
    for group in ("none", "distress", "passive+"):
        cells = "   ".join(f"{arm}: {light[arm, group]:4d}" for arm in ARMS)
        print(f"{group:9s} ({turns[group]:4d} turns)   {cells}")


def score_everyday(model: RiskModel) -> None:
    lines = everyday_lines()
    rng = random.Random(0)
    calls = [rng.sample(lines, 10) for _ in range(100)]
    light = Counter[str]()
    ended = Counter[str]()
    for call in calls:
        pairs = lights(call, model)
        for arm, index in zip(ARMS, (0, 1), strict=True):
            light[arm] += sum(p[index] for p in pairs)
            ended[arm] += pairs[-1][index]
    print("\n== everyday speech, 100 calls of ten turns (seed 0): turns light / calls light at "
          "the end")
    for arm in ARMS:
        print(f"{arm:10s} {light[arm]:4d} / 1000 turns   {ended[arm]:3d} / 100 calls")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SET_CHOICES)
    parser.add_argument("--everyday", action="store_true")
    parser.add_argument("--show", action="store_true", help="list the calls of freed turns")
    args = parser.parse_args(argv)
    shipped, sets = risk_sets(args.set or "none")
    for name, (calls, choose) in sets.items():
        score_set(name, calls, choose, args.show)
    if args.everyday:
        score_everyday(shipped)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
