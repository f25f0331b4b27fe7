"""Sweep the passive bar (`model.PASSIVE_BAR`, times each head's gate) on named risk sets.

    .venv/bin/python bench/risk_passive_bar.py --sets heldout15,heldout16,everyday5 \
        --bars off,1.4,1.3,1.2

Combined (rules + model) counts per bar, summed over the sets: passive turns rated passive or
higher, distress turns rated passive or higher (over-reading low mood), harmless turns rated
passive or higher (false alarms) and recall of active or higher. Round 27 chose 1.3 this way on
the spent heldout15-18 and everyday5-7 (bench/risk27_rule.md); choose only on spent sets.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lingxi.safety import model
from lingxi.safety.levels import Level

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_risk import combined, everyday_lines, risk_sets
from lingxi.safety import RiskTracker
from lingxi.safety.model import default_risk_model

OFF = 10.0  # times the gate: above any probability, so the bar never decides


def counts(sets: Sequence[str]) -> list[int]:
    """[passive, rated >= passive, distress, rated >= passive, none, rated >= passive,
    active or higher, rated >= active] over the sets, at the current bar."""
    totals = [0] * 8
    for name in sets:
        _, found = risk_sets(name)
        calls, choose = found[name]
        predict = combined(choose)
        for call in calls:
            for turn, got in zip(call, predict(call), strict=True):
                for slot, wanted in ((0, turn.level == Level.PASSIVE),
                                     (2, turn.level == Level.DISTRESS),
                                     (4, turn.level == Level.NONE)):
                    if wanted:
                        totals[slot] += 1
                        totals[slot + 1] += got >= Level.PASSIVE
                if turn.level >= Level.ACTIVE:
                    totals[6] += 1
                    totals[7] += got >= Level.ACTIVE
    return totals


def old_everyday_alarms() -> int:
    """The old everyday lines (`bench_risk.py --everyday`) rated passive or higher, combined."""
    model_ = default_risk_model()
    return sum(RiskTracker(model=model_).observe(text).call_level >= Level.PASSIVE
               for text in everyday_lines())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", required=True, help="comma-separated bench_risk set names")
    parser.add_argument("--bars", default="off,1.4,1.3,1.2,1.0")
    parser.add_argument("--everyday", action="store_true",
                        help="also count the old everyday lines rated passive or higher")
    args = parser.parse_args(argv)
    sets = args.sets.split(",")
    for bar in args.bars.split(","):
        model.PASSIVE_BAR = OFF if bar == "off" else float(bar)
        c = counts(sets)
        old = f"  old everyday {old_everyday_alarms()}" if args.everyday else ""
        print(f"bar {bar:>4}: passive {c[1]}/{c[0]}  distress {c[3]}/{c[2]}  "
              f"harmless {c[5]}/{c[4]}  recall {c[7]}/{c[6]}{old}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
