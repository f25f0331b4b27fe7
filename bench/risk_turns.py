#!/usr/bin/env python
"""Per-turn readings of the risk sets, to judge a round: one arm of main, one of a candidate.

`judge OUT SET...` writes one JSON line per turn of the named sets (`heldoutN`, `everydayN`, in
`bench/data`), read in order by the real tracker (rules and the shipped model, as a call reads
them): set, call, turn, truth, kind, lang, the call's level after the turn (`pred`), the turn's own
level, the rules' and the model's. Which code it judges is the `lingxi` on `PYTHONPATH` (a
worktree's `src` for a candidate); `LINGXI_RISK_CONSTS="model.RULES_VETO=0.03,..."` patches
module-level bars first, to try values before a candidate is written.
`totals A [B]` prints the counts a round's rule reads (recall ≥ active, imminent ≥ plan, passive ≥
passive, harmless held-out turns and everyday lines read passive or higher) and, with B (the
same rows), every turn whose reading changed. `rules OUT` writes the rules' own call levels for
every turn of every risk set in the repository (the tracker without a model; the sets in
`bench/data` and the lead's training files, not the spent sets' training copies of the former),
one TSV row per turn; `rules-diff A B` counts what a rules change raised and lowered.

Run:  PYTHONPATH=src .venv/bin/python bench/risk_turns.py judge main.jsonl heldout190 everyday179
      .venv/bin/python bench/risk_turns.py totals main.jsonl cand.jsonl
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lingxi.safety import Level, RiskTracker
from lingxi.safety.riskdata import RISK_DIR, conversations, read_examples

DATA = Path(__file__).with_name("data")
Row = dict[str, Any]


def patch_constants(spec: str) -> None:
    """Set `module.NAME=value` pairs (modules under lingxi.safety) before anything is read."""
    for item in filter(None, spec.split(",")):
        name, value = item.split("=")
        module, attribute = name.rsplit(".", 1)
        target = importlib.import_module(f"lingxi.safety.{module}")
        if not hasattr(target, attribute):
            raise SystemExit(f"no {name}")
        setattr(target, attribute, float(value))


def judge(out: Path, sets: Sequence[str]) -> None:
    from lingxi.safety.model import RiskModel
    from lingxi.safety.train import cached_encoder

    patch_constants(os.environ.get("LINGXI_RISK_CONSTS", ""))
    model = RiskModel.shipped("e5", cached_encoder("e5"))
    with out.open("w", encoding="utf-8") as file:
        for name in sets:
            for index, call in enumerate(conversations(read_examples(DATA / f"risk_{name}.txt"))):
                tracker = RiskTracker(model=model)
                for turn_index, turn in enumerate(call):
                    report = tracker.observe(turn.text)
                    row = {"set": name, "call": index, "turn": turn_index,
                           "truth": turn.level.label, "kind": turn.kind, "lang": turn.lang,
                           "pred": report.call_level.label, "own": report.turn.level.label,
                           "rules": report.rules.level.label if report.rules else None,
                           "model": report.model.level.label if report.model else None,
                           "text": turn.text}
                    file.write(json.dumps(row, ensure_ascii=False) + "\n")


def totals(rows: Sequence[Row]) -> str:
    def count(items: list[Row], bar: Level) -> str:
        return f"{sum(Level.parse(r['pred']) >= bar for r in items)}/{len(items)}"

    risk = [r for r in rows if Level.parse(r["truth"]) >= Level.ACTIVE]
    imminent = [r for r in rows if Level.parse(r["truth"]) == Level.IMMINENT]
    passive = [r for r in rows if Level.parse(r["truth"]) == Level.PASSIVE]
    harmless = [r for r in rows if r["truth"] == "none" and r["set"].startswith("heldout")]
    everyday = [r for r in rows if r["truth"] == "none" and r["set"].startswith("everyday")]
    return (f"recall {count(risk, Level.ACTIVE)}  imminent>=plan {count(imminent, Level.PLAN)}  "
            f"passive {count(passive, Level.PASSIVE)}  harmless {count(harmless, Level.PASSIVE)}  "
            f"everyday {count(everyday, Level.PASSIVE)}")


def _load(path: Path) -> list[Row]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def compare(first: Path, second: Path | None) -> None:
    rows = _load(first)
    print(first, totals(rows))
    if second is None:
        return
    other = _load(second)
    print(second, totals(other))
    if [r["text"] for r in rows] != [r["text"] for r in other]:
        raise SystemExit("the two files do not hold the same turns in the same order")
    for a, b in zip(rows, other, strict=True):
        if a["pred"] != b["pred"]:
            print(f"  {a['set']} c{a['call']} t{a['turn']} truth {a['truth']}: {a['pred']} -> "
                  f"{b['pred']}  [{a['kind']}] {a['text']}")


def rules(out: Path, leave_out: str) -> None:
    """The rules alone over every risk set in bench/data and the training files in data/risk but
    the spent sets' copies (`lingxi.safety.spend`: the same lines again), less those matching
    `leave_out` (the fresh and kept-back sets)."""
    skip = re.compile(leave_out)
    files = [*sorted(DATA.glob("risk_*.txt")),
             *sorted(f for f in RISK_DIR.glob("*.txt")
                     if not f.name.startswith(("train_spent_h", "train_everyday_h")))]
    with out.open("w", encoding="utf-8") as file:
        for path in files:
            if skip.search(path.name):
                continue
            for index, call in enumerate(conversations(read_examples(path))):
                tracker = RiskTracker()
                for turn_index, turn in enumerate(call):
                    level = tracker.observe(turn.text).call_level
                    file.write(f"{path.name}\t{index}\t{turn_index}\t{int(turn.level)}\t"
                               f"{int(level)}\t{turn.text}\n")


def rules_diff(first: Path, second: Path) -> None:
    a = [line.split("\t") for line in first.read_text(encoding="utf-8").splitlines()]
    b = [line.split("\t") for line in second.read_text(encoding="utf-8").splitlines()]
    if len(a) != len(b):
        raise SystemExit(f"{len(a)} rows against {len(b)}")
    raised_harmless = lowered_risk = changed = exact = 0
    for x, y in zip(a, b, strict=True):
        truth, before, after = int(x[3]), int(x[4]), int(y[4])
        if before == after:
            continue
        changed += 1
        exact += after == truth
        raised_harmless += truth == 0 and after >= Level.PASSIVE and after > before
        lowered_risk += truth >= Level.PASSIVE and after < before and after < truth
        print(f"{x[0]} c{x[1]} t{x[2]} truth {truth}: {before} -> {after}  {x[5]}")
    print(f"{len(a)} turns: {changed} changed, {exact} to their label, {raised_harmless} harmless "
          f"raised to passive or higher, {lowered_risk} risk or passive lowered below the label")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    judged = commands.add_parser("judge")
    judged.add_argument("out", type=Path)
    judged.add_argument("sets", nargs="+")
    summed = commands.add_parser("totals")
    summed.add_argument("first", type=Path)
    summed.add_argument("second", type=Path, nargs="?")
    ruled = commands.add_parser("rules")
    ruled.add_argument("out", type=Path)
    ruled.add_argument("--leave-out", default=r"risk_(heldout66|everyday55)\.txt$",
                       help="a regex of file names to leave out (the fresh and kept-back sets)")
    diffed = commands.add_parser("rules-diff")
    diffed.add_argument("first", type=Path)
    diffed.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    if args.command == "judge":
        judge(args.out, args.sets)
    elif args.command == "totals":
        compare(args.first, args.second)
    elif args.command == "rules":
        rules(args.out, args.leave_out)
    else:
        rules_diff(args.first, args.second)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
