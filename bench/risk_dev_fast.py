#!/usr/bin/env python
"""The development split's numbers in seconds, from saved out-of-fold scores
(`bench/risk_oof.py`): try rule edits and gate budgets without retraining five heads.

Reads the .npz that `risk_oof.py` wrote, rebuilds the same augmented calls (the corpus is
seeded, so the order matches), fits the temperature and the gate on the scores as
`lingxi.safety.train` does (`--budget` overrides the gate's share of harmless turns), and
scores the model alone and the rules and model combined (the rules read from the current data
files) — on every turn, and on the turns that did not come from `--extra` files, so two runs
with different extra data can be compared on the same turns.

Run:  .venv/bin/python bench/risk_dev_fast.py OOF.npz [--extra train_v6.txt] [--budget 0.028]
                                              [--alarms] [--misses KIND]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lingxi.safety import Level, RiskTracker
from lingxi.safety.fitting import fit_temperature
from lingxi.safety.model import (
    CONTEXT_GATE_SHARE,
    PASSIVE_BAR,
    ModelScore,
    gated_levels,
    softmax,
)
from lingxi.safety.riskdata import TRAIN_FILES, Example
from lingxi.safety.train import GATE_ALARMS, corpus, fit_gate

Pair = tuple[Example, Level]


class Replay:
    """A stand-in for the risk model that answers a call's turns from saved P(level >= k), in
    order (the tracker asks once per turn), gated as `Head.decide` does."""

    def __init__(self, at_least: npt.NDArray[np.float32], gate: float, distress: float) -> None:
        self._rows = iter(at_least)
        self._gate = gate
        self._distress = distress

    def score(self, text: str, previous: Sequence[str] = (),
              known: object = None, call: Level = Level.NONE) -> ModelScore:
        return ModelScore(self.level(next(self._rows), call), ())

    def level(self, row: npt.NDArray[np.float32], call: Level) -> Level:
        share = CONTEXT_GATE_SHARE if call >= Level.PASSIVE else 1.0
        return gated_levels(row[None], self._gate * share, self._distress,
                            self._gate * PASSIVE_BAR)[0]


Scores = tuple[npt.NDArray[np.float32], float, float, npt.NDArray[np.bool_]]


def model_scores(path: Path, budget: float) -> Scores:
    """P(level >= k) per turn, the gate, the distress bar and the extra-file mask."""
    with np.load(path) as raw:
        logits, labels, extra = raw["logits"], raw["labels"], raw["extra"]
    temperature = fit_temperature(logits, labels)
    probabilities = softmax(logits / temperature)
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    harmless = np.sort(at_least[labels == 0][:, 3])[::-1]
    gate = float(np.nextafter(np.float32(harmless[int(budget * len(harmless))]),
                              np.float32(2.0)))
    _, thresholds = fit_gate(probabilities, labels)
    print(f"temperature {temperature:.2f}, gate {gate:.3f} (budget {budget})")
    return at_least, gate, float(thresholds[1]), extra.astype(bool)


def summary(name: str, pairs: Sequence[Pair]) -> None:
    high = [(t, p) for t, p in pairs if t.level >= Level.ACTIVE]
    imminent = [(t, p) for t, p in pairs if t.level == Level.IMMINENT]
    none = [(t, p) for t, p in pairs if t.level == Level.NONE]
    recall = sum(p >= Level.ACTIVE for _, p in high)
    plan = sum(p >= Level.PLAN for _, p in imminent)
    alarms = sum(p >= Level.PASSIVE for _, p in none)
    print(f"{name:34} recall {100 * recall / len(high):5.1f}% ({recall}/{len(high)})  "
          f"imminent>=plan {100 * plan / len(imminent):5.1f}% ({plan}/{len(imminent)})  "
          f"false alarms {100 * alarms / len(none):4.1f}% ({alarms}/{len(none)})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("oof", type=Path)
    parser.add_argument("--extra", nargs="*", default=[])
    parser.add_argument("--budget", type=float, default=GATE_ALARMS)
    parser.add_argument("--alarms", action="store_true", help="print combined false alarms")
    parser.add_argument("--misses", default="", help="print combined misses of this kind")
    args = parser.parse_args(argv)
    at_least, gate, distress, extra = model_scores(args.oof, args.budget)
    calls = [call for fold in corpus(files=(*TRAIN_FILES, *args.extra)).folds for call in fold]
    assert sum(map(len, calls)) == len(at_least), "the .npz was made from other data files"
    model: list[Pair] = []
    combined: list[Pair] = []
    rules: list[Pair] = []
    start = 0
    for call in calls:
        rows = at_least[start:start + len(call)]
        replay = Replay(rows, gate, distress)
        tracker, alone = RiskTracker(model=replay), RiskTracker()  # type: ignore[arg-type]
        combined.extend((turn, tracker.observe(turn.text).call_level) for turn in call)
        rules.extend((turn, alone.observe(turn.text).call_level) for turn in call)
        peak = Level.NONE  # the model alone, as the call's highest level so far
        for turn, row in zip(call, rows, strict=True):
            peak = max(peak, replay.level(row, peak))
            model.append((turn, peak))
        start += len(call)
    for name, pairs in (("model", model), ("combined", combined), ("rules", rules)):
        summary(f"{name}, all", pairs)
        summary(f"{name}, without extra files", [p for p, x in zip(pairs, extra, strict=True)
                                                 if not x])
    for turn, level in combined:
        if args.alarms and turn.level == Level.NONE and level >= Level.PASSIVE:
            print(f"  ALARM -> {level.label:8} [{turn.kind}] {turn.text}")
        if turn.kind == args.misses and turn.level >= Level.ACTIVE and level < Level.ACTIVE:
            print(f"  MISS {turn.level.label} -> {level.label:8} {turn.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
