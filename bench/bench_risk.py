#!/usr/bin/env python
"""Safety v2 risk benchmark: the old rules alone, the learned model alone, and the two combined
(what calls use), on the development split and on the held-out set.

The held-out set (`bench/data/risk_heldout.txt`) was written before any training or rule
tuning and is never used to tune anything; the development split is a fifth of the hand-written
training calls (it set the model's temperature and thresholds). Each lone line is a call of one
turn; a call's turns are read in order by one tracker, and a turn's prediction is the call's
level after it (it never drops), compared with the label (the call's level after that turn).

Printed per system and set: recall of active+plan+imminent (rated active or higher), the same
at or above the true level, imminent rated plan or higher, false alarms on none lines (rated
passive or higher — what changes the reply — and rated above none), exact accuracy, per
language and per kind, the confusion matrix (rows: truth, columns: prediction) and the misses.
`--latency` also times the combined assessment per turn with the real encoder (no cache), on
the held-out calls and on everyday speech in calls of ten turns.

`--everyday` reads ordinary speech that was written for other benches and is in no risk set —
the duplex clips' transcripts (each pause clip's halves alone, as a pause makes them turns, and
whole) and the brain's held-out turns — and prints how many each system rates passive or
higher: a companion hears such turns all day, and every one flagged is a false alarm.

`--set NAME` scores one named set: `heldout` and `heldout2` … (`bench/data/risk_heldout.txt`,
`risk_heldout2.txt` …; since the tenth each by a fresh hand, a helper who read no earlier data
line, rule or result, for a later round and unscored when written) and `everyday2` … (all
harmless lines by fresh hands: false alarms on ordinary callers; never trained or tuned on when
written). Every such file in `bench/data` is a set; who wrote it, when and what it holds is in
its own header, which round it judged in `docs/safety.md`. The sets the e5 heads train on
(`riskdata.SPENT_FILES` and `LOOKALIKE_FILES`, copied) are **in-sample** for e5, not held out
(Gemma's heads were not retrained on them). `--set all` scores dev and the tenth and eleventh
sets (`IN_ALL`; e5 training data since round 22, so in-sample with e5); every other set is
scored by name only, so that no earlier look at a set written for a later round can tune it.

Run:  .venv/bin/python bench/bench_risk.py [--set dev|heldout|heldoutN|everydayN|both|all]
          [--misses] [--latency] [--everyday] [--head PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import yaml

from lingxi.safety import Level, RiskTracker
from lingxi.safety.encoder import ENCODERS, Encoder
from lingxi.safety.model import Head, RiskModel
from lingxi.safety.riskdata import ENCODER_TRAIN_FILES, Example, conversations, read_examples
from lingxi.safety.train import (
    blank_head,
    cached_encoder,
    corpus,
    fold_heads,
)

DATA = Path(__file__).with_name("data")
HELDOUT = DATA / "risk_heldout.txt"


def _numbered(prefix: str) -> dict[str, Path]:
    """`bench/data/risk_{prefix}N.txt` by name (`{prefix}N`), in the order of N."""
    found = {int(f.stem.removeprefix(f"risk_{prefix}")): f
             for f in DATA.glob(f"risk_{prefix}*.txt")
             if f.stem.removeprefix(f"risk_{prefix}").isdigit()}
    return {f"{prefix}{n}": found[n] for n in sorted(found)}


# Every held-out and everyday check set in bench/data, by name: adding a set is adding its file.
HELDOUTS = {"heldout": HELDOUT, **_numbered("heldout"), **_numbered("everyday")}
# "all" scores only the tenth and eleventh sets. The rest are scored by name only: the sets the
# e5 heads train on (in-sample for e5), the sets kept unscored for the rounds they were written
# for, and the everyday check sets (never trained or tuned on when written).
IN_ALL = ("heldout10", "heldout11")
NOT_IN_ALL = frozenset(HELDOUTS) - set(IN_ALL)
SET_CHOICES = ("dev", *HELDOUTS, "both", "all")
CLIPS = Path(__file__).with_name("duplex") / "clips.tsv"
BRAIN_HELDOUT = DATA / "brain_turns_heldout.yaml"
HIGH = Level.ACTIVE
Predict = Callable[[list[Example]], list[Level]]


def rules_only(call: list[Example]) -> list[Level]:
    tracker = RiskTracker()
    return [tracker.observe(turn.text).call_level for turn in call]


def model_only(choose: Callable[[list[Example]], RiskModel]) -> Predict:
    def predict(call: list[Example]) -> list[Level]:
        model = choose(call)
        levels, level = [], Level.NONE
        for index, turn in enumerate(call):
            previous = [t.text for t in call[:index]]
            level = max(level, model.score(turn.text, previous, call=level).level)
            levels.append(level)
        return levels
    return predict


def combined(choose: Callable[[list[Example]], RiskModel]) -> Predict:
    def predict(call: list[Example]) -> list[Level]:
        tracker = RiskTracker(model=choose(call))
        return [tracker.observe(turn.text).call_level for turn in call]
    return predict


def rate(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}% ({hits}/{total})" if total else "   n/a"


def report(name: str, calls: Sequence[list[Example]], predict: Predict, misses: bool) -> None:
    pairs = [(turn, level) for call in calls
             for turn, level in zip(call, predict(call), strict=True)]
    high = [(t, p) for t, p in pairs if t.level >= HIGH]
    none = [(t, p) for t, p in pairs if t.level == Level.NONE]
    imminent = [(t, p) for t, p in pairs if t.level == Level.IMMINENT]
    print(f"\n== {name}: {len(pairs)} turns")
    Hit = Callable[[Example, Level], bool]
    lines: tuple[tuple[str, list[tuple[Example, Level]], Hit], ...] = (
        ("recall active+plan+imminent (>= active)", high, lambda t, p: p >= HIGH),
        ("  ... at or above the true level", high, lambda t, p: p >= t.level),
        ("imminent rated plan or higher", imminent, lambda t, p: p >= Level.PLAN),
        ("false alarms on none (>= passive)", none, lambda t, p: p >= Level.PASSIVE),
        ("  ... rated above none", none, lambda t, p: p > Level.NONE),
        ("exact level", pairs, lambda t, p: p == t.level),
    )
    for title, items, hit in lines:
        print(f"{title + ':':41} {rate(sum(hit(t, p) for t, p in items), len(items))}")
    groups: dict[str, list[tuple[Example, Level]]] = defaultdict(list)
    for turn, level in pairs:
        groups[f"lang {turn.lang}"].append((turn, level))
        groups[f"kind {turn.kind}"].append((turn, level))
    print(f"{'group':24} {'recall>=active':>16} {'false alarms':>14} {'exact':>14}")
    for key in sorted(groups):
        items = groups[key]
        hi = [(t, p) for t, p in items if t.level >= HIGH]
        no = [(t, p) for t, p in items if t.level == Level.NONE]
        print(f"{key:24} {_short(sum(p >= HIGH for _, p in hi), len(hi)):>16} "
              f"{_short(sum(p >= Level.PASSIVE for _, p in no), len(no)):>14} "
              f"{_short(sum(p == t.level for t, p in items), len(items)):>14}")
    print("confusion (rows truth, columns prediction):")
    print("          " + " ".join(f"{level.label[:8]:>8}" for level in Level))
    for truth in Level:
        row = [sum(1 for t, p in pairs if t.level == truth and p == pred) for pred in Level]
        print(f"{truth.label:>9} " + " ".join(f"{n:>8}" for n in row))
    if misses:
        for turn, level in pairs:
            missed = turn.level >= HIGH and level < min(turn.level, Level.PLAN)
            alarm = turn.level == Level.NONE and level >= Level.PASSIVE
            if missed or alarm:
                print(f"  {'MISS ' if missed else 'ALARM'} {turn.level.label:>8} -> "
                      f"{level.label:<8} [{turn.kind}] {turn.text}")


def _short(hits: int, total: int) -> str:
    return f"{100 * hits / total:.0f}% {hits}/{total}" if total else "-"


def chosen_model(head: Sequence[Path] | None, encoder_name: str, encoder: Encoder
                 ) -> RiskModel:
    """The heads asked for (`--head`, one ensemble), else the encoder's shipped ensembles."""
    return RiskModel.load(head, encoder=encoder) if head else \
        RiskModel.shipped(encoder_name, encoder)


def latency(calls: Sequence[Sequence[str]], what: str, encoder_name: str = "e5",
            head: Sequence[Path] | None = None) -> None:
    from lingxi.safety.encoder import E5Encoder, GemmaEncoder

    started = time.perf_counter()
    encoder: Encoder = E5Encoder() if encoder_name == "e5" else GemmaEncoder()
    encoder(["warm up"])
    load = time.perf_counter() - started
    model = chosen_model(head, encoder_name, encoder)
    times = []
    for call in calls:
        tracker = RiskTracker(model=model)
        for text in call:
            begun = time.perf_counter()
            tracker.observe(text)
            times.append(1000 * (time.perf_counter() - begun))
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"\nlatency per turn, {what} (rules + model, real encoder): "
          f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
          f"max {times[-1]:.1f} ms over {len(times)} turns;"
          f" encoder load + first encode {1000 * load:.0f} ms")


def everyday_lines() -> list[str]:
    lines: list[str] = []
    for row in CLIPS.read_text(encoding="utf-8").splitlines():
        fields = row.split("\t")
        if row.startswith("#") or len(fields) < 7 or fields[3] == "noise":
            continue
        halves = [h.strip() for h in fields[6].split("|") if h.strip()]
        lines.extend([*halves, "".join(halves)] if len(halves) > 1 else halves)
    turns = yaml.safe_load(BRAIN_HELDOUT.read_text(encoding="utf-8"))
    lines.extend(str(turn["say"]) for turn in turns)
    return list(dict.fromkeys(lines))


def everyday(model: RiskModel, misses: bool) -> None:
    lines = everyday_lines()
    systems: dict[str, Callable[[str], Level]] = {
        "rules": lambda text: RiskTracker().observe(text).call_level,
        "model": lambda text: model.score(text).level,
        "combined": lambda text: RiskTracker(model=model).observe(text).call_level}
    print(f"\n== everyday speech (no risk set): {len(lines)} lone turns")
    for name, level_of in systems.items():
        flagged = [(level_of(text), text) for text in lines]
        raised = [(level, text) for level, text in flagged if level >= Level.PASSIVE]
        print(f"{name:9s} rated passive or higher: {rate(len(raised), len(lines))}; "
              f"distress: {sum(level == Level.DISTRESS for level, _ in flagged)}")
        if misses:
            for level, text in raised:
                print(f"  ALARM  -> {level.label:8s} {text}")


def dev_set(shipped: Head, encoder: Encoder, encoder_name: str = "e5"
            ) -> tuple[list[list[Example]], Callable[[list[Example]], RiskModel]]:
    """The hand-written calls (with e5, the spent sets' too), each scored by a head of seed 15
    trained without its fold (with the shipped first head's temperature and thresholds, which
    were fitted on these predictions)."""
    owner: dict[int, RiskModel] = {}
    calls: list[list[Example]] = []
    data = corpus(files=ENCODER_TRAIN_FILES[encoder_name])
    for head, fold in fold_heads(data, RiskModel(blank_head(), encoder)):
        calibrated = replace(head, temperature=shipped.temperature,
                             thresholds=shipped.thresholds, gate=shipped.gate)
        model = RiskModel(calibrated, encoder)
        for call in fold:
            owner[id(call)] = model
            calls.append(call)
    return calls, lambda call: owner[id(call)]


Sets = dict[str, tuple[list[list[Example]], Callable[[list[Example]], RiskModel]]]


def risk_sets(which: str, head: Sequence[Path] | None = None, encoder_name: str = "e5"
              ) -> tuple[RiskModel, Sets]:
    """The model (the encoder's shipped ensembles, or the one of `head`) and the sets asked
    for ("dev", "heldout", "heldoutN", "everydayN" (the files in bench/data), "both" = dev
    and heldout, or "all"), each with the model that scores a call of it."""
    encoder = cached_encoder(encoder_name)
    shipped = chosen_model(head, encoder_name, encoder)
    sets: Sets = {}
    if which in ("dev", "both", "all"):
        sets["dev (out-of-fold)"] = dev_set(shipped.head, encoder, encoder_name)
    for name, path in HELDOUTS.items():
        if which == name or (which == "all" and name not in NOT_IN_ALL) \
                or (which == "both" and name == "heldout"):
            sets[name] = (conversations(read_examples(path)), lambda call: shipped)
    return shipped, sets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SET_CHOICES, default="both")
    parser.add_argument("--head", type=Path, nargs="+",
                        help="score this head file (several: the median of their levels), not "
                             "the shipped one")
    parser.add_argument("--encoder", choices=ENCODERS, default="e5",
                        help="the head's encoder (gemma: opt-in, prepared separately)")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--latency", action="store_true")
    parser.add_argument("--everyday", action="store_true")
    args = parser.parse_args(argv)
    shipped, sets = risk_sets(args.set, args.head, args.encoder)
    for set_name, (calls, choose) in sets.items():
        for name, predict in (("rules", rules_only), ("model", model_only(choose)),
                              ("combined", combined(choose))):
            report(f"{set_name} / {name}", calls, predict, args.misses)
    if args.everyday:
        everyday(shipped, args.misses)
    if args.latency:
        calls = sets.get("heldout", next(iter(sets.values())))[0]
        latency([[turn.text for turn in call] for call in calls], "the held-out calls",
                args.encoder, args.head)
        lines = everyday_lines()[:200]  # a conversation: each turn read with the two before it
        latency([lines[i:i + 10] for i in range(0, len(lines), 10)],
                "everyday speech in calls of ten turns", args.encoder, args.head)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
