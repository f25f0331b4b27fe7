#!/usr/bin/env python
"""Risk assessor benchmark: accuracy on the labelled evaluation set, and time per turn.

The evaluation set (`bench/data/safety_eval.jsonl`, one JSON object per line) holds
single utterances and multi-turn calls, each labelled with the level a careful listener
would give that turn *in the light of the earlier turns of its call*. Every item is marked
`"split": "tune"` (rules were adjusted while looking at these) or `"split": "heldout"`
(never looked at while writing rules). Both are reported separately.

Single utterances each get a fresh `RiskTracker`; the turns of a call share one, in order.
Printed per split: per-level recall and precision (exact level), the false-alarm rate on
`none` (anything above none predicted for a none turn), recall for active+plan+imminent
(a prediction at or above the true level counts as a catch), how often any risk (passive
and up) is flagged at passive or above, the confusion matrix, that no call's level ever
dropped, and per-turn latency p50/p95/max.

Run:  .venv/bin/python bench/bench_safety.py [--split tune|heldout|both] [--errors]
                                             [--repeat N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lingxi.safety import Level, RiskTracker, default_assessor

EVAL_FILE = Path(__file__).with_name("data") / "safety_eval.jsonl"
HIGH = (Level.ACTIVE, Level.PLAN, Level.IMMINENT)
SPLITS = ("tune", "heldout")


@dataclass(frozen=True)
class Item:
    id: str
    split: str
    level: Level
    text: str
    lang: str
    tags: tuple[str, ...]
    call: str | None
    turn: int | None


@dataclass(frozen=True)
class Prediction:
    item: Item
    level: Level
    call_level: Level
    codes: tuple[str, ...]


def load_items(path: Path) -> list[Item]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        if raw["split"] not in SPLITS:
            raise ValueError(f"{path}:{number}: split must be one of {SPLITS}")
        items.append(Item(id=raw["id"], split=raw["split"], level=Level.parse(raw["level"]),
                          text=raw["text"], lang=raw["lang"], tags=tuple(raw["tags"]),
                          call=raw.get("call"), turn=raw.get("turn")))
    return items


def conversations(items: Sequence[Item]) -> list[list[Item]]:
    """Each single utterance alone; each call's turns together, in turn order."""
    calls: dict[str, list[Item]] = defaultdict(list)
    groups: list[list[Item]] = []
    for item in items:
        if item.call is None:
            groups.append([item])
        else:
            if item.call not in calls:
                groups.append(calls[item.call])
            calls[item.call].append(item)
    for turns in calls.values():
        turns.sort(key=lambda item: item.turn or 0)
    return groups


def predict(groups: Sequence[list[Item]]) -> tuple[list[Prediction], list[str]]:
    """Predictions for every item, and the ids of calls whose level ever dropped."""
    predictions: list[Prediction] = []
    dropped: list[str] = []
    for group in groups:
        tracker = RiskTracker()
        previous = Level.NONE
        for item in group:
            report = tracker.observe(item.text)
            if report.call_level < previous:
                dropped.append(item.call or item.id)
            previous = report.call_level
            predictions.append(Prediction(item, report.turn.level, report.call_level,
                                          tuple(r.code for r in report.turn.reasons)))
    return predictions, dropped


def time_turns(groups: Sequence[list[Item]], repeat: int) -> list[float]:
    """Microseconds per `observe` call, over `repeat` passes of every conversation."""
    samples: list[float] = []
    for _ in range(repeat):
        for group in groups:
            tracker = RiskTracker()
            for item in group:
                start = time.perf_counter_ns()
                tracker.observe(item.text)
                samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ratio(hits: int, total: int) -> str:
    return f"{hits}/{total} = {100 * hits / total:.1f}%" if total else "n/a"


def metrics(predictions: Sequence[Prediction]) -> dict[str, Any]:
    confusion = [[0] * len(Level) for _ in Level]
    for p in predictions:
        confusion[p.item.level][p.level] += 1
    per_level = {}
    for level in Level:
        support = sum(confusion[level])
        predicted = sum(row[level] for row in confusion)
        correct = confusion[level][level]
        per_level[level.label] = {"support": support, "predicted": predicted,
                                  "recall": correct / support if support else None,
                                  "precision": correct / predicted if predicted else None}
    nones = [p for p in predictions if p.item.level == Level.NONE]
    high = [p for p in predictions if p.item.level in HIGH]
    risky = [p for p in predictions if p.item.level >= Level.PASSIVE]
    return {
        "n": len(predictions), "per_level": per_level, "confusion": confusion,
        "false_alarms": (sum(p.level > Level.NONE for p in nones), len(nones)),
        "high_recall": (sum(p.level >= p.item.level for p in high), len(high)),
        "risk_flagged": (sum(p.level >= Level.PASSIVE for p in risky), len(risky)),
        "under": sum(p.level < p.item.level for p in predictions),
        "over": sum(p.level > p.item.level for p in predictions),
    }


def print_report(name: str, predictions: Sequence[Prediction], dropped: Sequence[str],
                 latency: Sequence[float]) -> dict[str, Any]:
    m = metrics(predictions)
    calls = {p.item.call for p in predictions if p.item.call}
    in_calls = sum(1 for p in predictions if p.item.call)
    print(f"\n== {name}: {m['n']} turns ({m['n'] - in_calls} single, {in_calls} in "
          f"{len(calls)} multi-turn calls) ==")
    print(f"{'level':<10}{'support':>8}{'predicted':>10}{'recall':>9}{'precision':>11}")
    for label, row in m["per_level"].items():
        rec = "-" if row["recall"] is None else f"{100 * row['recall']:.1f}%"
        pre = "-" if row["precision"] is None else f"{100 * row['precision']:.1f}%"
        print(f"{label:<10}{row['support']:>8}{row['predicted']:>10}{rec:>9}{pre:>11}")
    print(f"false alarms on none (predicted above none): {ratio(*m['false_alarms'])}")
    print(f"recall active+plan+imminent (predicted >= true): {ratio(*m['high_recall'])}")
    print(f"passive and up flagged at passive or above:   {ratio(*m['risk_flagged'])}")
    print(f"under-called (predicted < true): {m['under']}   over-called: {m['over']}")
    print("confusion (rows: true, columns: predicted)")
    print(" " * 10 + "".join(f"{level.label:>9}" for level in Level))
    for level in Level:
        print(f"{level.label:<10}" + "".join(f"{n:>9}" for n in m["confusion"][level]))
    print(f"call level dropped within a call: {len(dropped)} times"
          + (f" ({', '.join(dropped)})" if dropped else ""))
    print(f"latency per turn (µs): p50 {percentile(latency, 0.5):.0f}, "
          f"p95 {percentile(latency, 0.95):.0f}, max {max(latency):.0f} "
          f"over {len(latency)} observations")
    m["latency_us"] = {"p50": percentile(latency, 0.5), "p95": percentile(latency, 0.95),
                       "max": max(latency)}
    m["call_level_drops"] = list(dropped)
    return m


def print_errors(predictions: Sequence[Prediction]) -> None:
    wrong = [p for p in predictions if p.level != p.item.level]
    print(f"\n-- {len(wrong)} turns where the level differs --")
    for p in wrong:
        mark = "UNDER" if p.level < p.item.level else "over "
        print(f"{mark} {p.item.id:<8} true={p.item.level.label:<9} got={p.level.label:<9} "
              f"{p.item.text}  {list(p.codes)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    parser.add_argument("--errors", action="store_true", help="list the mislabelled turns")
    parser.add_argument("--repeat", type=int, default=20, help="timing passes (default 20)")
    parser.add_argument("--eval", type=Path, default=EVAL_FILE, help="evaluation file")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    default_assessor()
    print(f"rules loaded and compiled in {1000 * (time.perf_counter() - start):.1f} ms")
    items = load_items(args.eval)
    results: dict[str, Any] = {}
    for split in SPLITS if args.split == "both" else (args.split,):
        groups = conversations([item for item in items if item.split == split])
        predictions, dropped = predict(groups)
        latency = time_turns(groups, args.repeat)
        title = "tuning set" if split == "tune" else "held-out set (never tuned against)"
        results[split] = print_report(title, predictions, dropped, latency)
        if args.errors:
            print_errors(predictions)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
