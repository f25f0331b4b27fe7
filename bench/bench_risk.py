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

`--set heldout2` scores the second held-out set (`bench/data/risk_heldout2.txt`, written by
another hand before its round of training), `--set heldout3` the third, `--set heldout4` the
fourth, `--set heldout5` the fifth, `--set heldout6` the sixth and `--set heldout7` the seventh
(`bench/data/risk_heldout3.txt`, `risk_heldout4.txt`, `risk_heldout5.txt`, `risk_heldout6.txt`,
`risk_heldout7.txt`, likewise), `--set heldout8` and `--set heldout9` the eighth and ninth
(judges of rounds 12 and 13). **Since round 14 those nine sets are training data of the e5
heads** (copied as `data/risk/train_spent_h1..9.txt`, `bench/risk14_rule.md`; since round 22,
`bench/risk22_rule.md`, the tenth to fourteenth and everyday2–4 too): scored with
e5 they are **in-sample**, not held out (with Gemma, whose heads were not retrained, they are
spent sets it never trained on). `--set heldout10` (`risk_heldout10.txt`, by a fresh hand,
helper risk10set) judged round 14 and is spent; no e5 or Gemma head trained on it. `--set all`
scores dev, the tenth set and the eleventh (`risk_heldout11.txt`, by a fresh hand, helper
risk11set), which judged round 15 (`bench/risk15_rule.md`) and is spent likewise; the nine are
left out (in-sample for e5). Since round 22 the tenth and eleventh are e5 training data too, so
with e5 `--set all` is in-sample throughout.
`--set heldout12` scores the twelfth (`risk_heldout12.txt`, by a fresh hand, helper risk12set),
written for a later round and unscored when written; it is left out of `--set all` and scored
by name only, so no earlier look at it can tune a round. `--set heldout13` scores the thirteenth
(`risk_heldout13.txt`, by a fresh hand, helper risk13set), likewise written for a later round,
unscored when written, left out of `--set all` and scored by name only. `--set heldout14` scores
the fourteenth (`risk_heldout14.txt`, by a fresh hand, helper risk14set), likewise written for a
later round, unscored when written, left out of `--set all` and scored by name only.
`--set heldout15` scores the fifteenth (`risk_heldout15.txt`, by a fresh hand, helper risk15set),
likewise written for a later round, unscored when written, left out of `--set all` and scored by
name only. `--set heldout16` scores the sixteenth (`risk_heldout16.txt`, by a fresh hand, helper
risk16set), likewise written for a later round, unscored when written, left out of `--set all`
and scored by name only. `--set heldout17` scores the seventeenth (`risk_heldout17.txt`, by a
fresh hand, helper risk17set), likewise written for a later round, unscored when written, left
out of `--set all` and scored by name only.
`--set heldout18` scores the eighteenth (`risk_heldout18.txt`, by a fresh hand, helper
risk18set, all Cantonese), likewise written for a later round, unscored when written, left out
of `--set all` and scored by name only.
`--set heldout19` scores the nineteenth (`risk_heldout19.txt`, by a fresh hand, helper
risk19set, half Cantonese, half Mandarin and English), likewise written for a later round,
unscored when written, left out of `--set all` and scored by name only.
`--set heldout20` scores the twentieth (`risk_heldout20.txt`, by a fresh hand, helper
risk20set, Mandarin, English and Cantonese, with care for passive wishes), likewise written for
a later round, unscored when written, left out of `--set all` and scored by name only.
`--set heldout21` scores the twenty-first (`risk_heldout21.txt`, by a fresh hand, helper
risk21set, Mandarin, English and Cantonese, with care for passive wishes and harmless traps),
likewise written for a later round, unscored when written, left out of `--set all` and scored by
name only.
`--set heldout22` scores the twenty-second (`risk_heldout22.txt`, by a fresh hand, helper
risk22set, Mandarin, English and Cantonese, broad and hard, the final independent check of the
issue's bar), likewise written for a later round, unscored when written, left out of `--set all`
and scored by name only.
`--set heldout23` scores the twenty-third (`risk_heldout23.txt`, by a fresh hand, helper
risk23set, Mandarin, English and Cantonese, broad and hard, an independent check of the
issue's bar), likewise written for a later round, unscored when written, left out of `--set all`
and scored by name only.
`--set heldout24` scores the twenty-fourth (`risk_heldout24.txt`, by a fresh hand, helper
risk24set, Mandarin, English and Cantonese, broad and hard, an independent check of the
issue's bar), likewise written for a later round, unscored when written, left out of `--set all`
and scored by name only.
`--set heldout25` scores the twenty-fifth (`risk_heldout25.txt`, by a fresh hand, helper
risk25set, Mandarin, English and Cantonese, broad and hard, an independent check of the
issue's bar), likewise written for a later round, unscored when written, left out of `--set all`
and scored by name only.
`--set heldout26` scores the twenty-sixth (`risk_heldout26.txt`, by a fresh hand, helper
risk26set, Mandarin, English and Cantonese, broad and hard, an independent check of the
issue's bar), likewise written for a later round, unscored when written, left out of `--set all`
and scored by name only.
`--set everyday2` scores an everyday check set, all harmless, by a fresh hand
(`risk_everyday2.txt`, helper everyday2): it measures false alarms on ordinary callers, is never
trained or tuned on, is left out of `--set all` and is scored by name only. `--set everyday3`
scores a second everyday check set, likewise all harmless and by another fresh hand
(`risk_everyday3.txt`, helper everyday3), with the same rules, `--set everyday4` a third
(`risk_everyday4.txt`, helper everyday4), `--set everyday5` a fourth (`risk_everyday5.txt`,
helper everyday5), `--set everyday6` a fifth (`risk_everyday6.txt`, helper everyday6),
`--set everyday7` a sixth (`risk_everyday7.txt`, helper everyday7), `--set everyday8` a
seventh (`risk_everyday8.txt`, helper everyday8), `--set everyday9` an eighth
(`risk_everyday9.txt`, helper everyday9), `--set everyday10` a ninth
(`risk_everyday10.txt`, helper everyday10), `--set everyday11` a tenth
(`risk_everyday11.txt`, helper everyday11), `--set everyday12` an eleventh
(`risk_everyday12.txt`, helper everyday12), `--set everyday13` a twelfth
(`risk_everyday13.txt`, helper everyday13), `--set everyday14` a thirteenth
(`risk_everyday14.txt`, helper everyday14) and `--set everyday15` a fourteenth
(`risk_everyday15.txt`, helper everyday15).

Run:  .venv/bin/python bench/bench_risk.py
          [--set dev|heldout|heldout2|...|heldout9|heldout10|heldout11|heldout12|heldout13|
                 heldout14|heldout15|heldout16|heldout17|heldout18|heldout19|heldout20|heldout21|
                 heldout22|heldout23|heldout24|heldout25|heldout26|everyday2|everyday3|everyday4|
                 everyday5|everyday6|everyday7|everyday8|everyday9|everyday10|everyday11|
                 everyday12|everyday13|everyday14|everyday15|both|all]
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
from lingxi.safety.model import Head, RiskModel, head_files
from lingxi.safety.riskdata import ENCODER_TRAIN_FILES, Example, conversations, read_examples
from lingxi.safety.train import (
    blank_head,
    cached_encoder,
    corpus,
    fold_heads,
)

HELDOUT = Path(__file__).with_name("data") / "risk_heldout.txt"
# A second held-out set, written later by another hand before that round's training.
HELDOUT2 = Path(__file__).with_name("data") / "risk_heldout2.txt"
# A third, written by helper risk5 before its round of training, rule and gate changes.
HELDOUT3 = Path(__file__).with_name("data") / "risk_heldout3.txt"
# A fourth, written by helper risk6 before its round and before it looked at any misses.
HELDOUT4 = Path(__file__).with_name("data") / "risk_heldout4.txt"
# A fifth, written by helper held5 before the round that ran beside it, unseen by that round.
HELDOUT5 = Path(__file__).with_name("data") / "risk_heldout5.txt"
# A sixth, written by helper held6 (a fresh hand) before the shipped detector was run on it.
HELDOUT6 = Path(__file__).with_name("data") / "risk_heldout6.txt"
# A seventh, written by helper held7 (a fresh hand) for the next round, unscored when written.
HELDOUT7 = Path(__file__).with_name("data") / "risk_heldout7.txt"
# An eighth, written by helper held8 (a fresh hand) in round 9 for the round after it.
HELDOUT8 = Path(__file__).with_name("data") / "risk_heldout8.txt"
# A ninth, written by helper risk9set (a fresh hand) for a later round, unscored when written.
HELDOUT9 = Path(__file__).with_name("data") / "risk_heldout9.txt"
# A tenth, written by helper risk10set (a fresh hand) for a later round, unscored when written.
HELDOUT10 = Path(__file__).with_name("data") / "risk_heldout10.txt"
# An eleventh, written by helper risk11set (a fresh hand) for a later round, unscored when written.
HELDOUT11 = Path(__file__).with_name("data") / "risk_heldout11.txt"
# A twelfth, written by helper risk12set (a fresh hand) for a later round, unscored when written;
# kept out of "all" so that it is scored only by name, by the round it was written for.
HELDOUT12 = Path(__file__).with_name("data") / "risk_heldout12.txt"
# A thirteenth, written by helper risk13set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT13 = Path(__file__).with_name("data") / "risk_heldout13.txt"
# A fourteenth, written by helper risk14set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT14 = Path(__file__).with_name("data") / "risk_heldout14.txt"
# A fifteenth, written by helper risk15set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT15 = Path(__file__).with_name("data") / "risk_heldout15.txt"
# A sixteenth, written by helper risk16set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT16 = Path(__file__).with_name("data") / "risk_heldout16.txt"
# A seventeenth, written by helper risk17set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT17 = Path(__file__).with_name("data") / "risk_heldout17.txt"
# An eighteenth, all Cantonese, written by helper risk18set (a fresh hand) for a later round,
# unscored when written; kept out of "all" likewise, scored only by name, by the round it was
# written for.
HELDOUT18 = Path(__file__).with_name("data") / "risk_heldout18.txt"
# A nineteenth, half Cantonese, half Mandarin and English, written by helper risk19set (a fresh
# hand) for a later round, unscored when written; kept out of "all" likewise, scored only by
# name, by the round it was written for.
HELDOUT19 = Path(__file__).with_name("data") / "risk_heldout19.txt"
# A twentieth, Mandarin, English and Cantonese with care for passive wishes, written by helper
# risk20set (a fresh hand) for a later round, unscored when written; kept out of "all" likewise,
# scored only by name, by the round it was written for.
HELDOUT20 = Path(__file__).with_name("data") / "risk_heldout20.txt"
# A twenty-first, Mandarin, English and Cantonese with care for passive wishes and harmless
# traps, written by helper risk21set (a fresh hand) for a later round, unscored when written;
# kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT21 = Path(__file__).with_name("data") / "risk_heldout21.txt"
# A twenty-second, Mandarin, English and Cantonese, broad and hard (the final independent check of
# the bar), written by helper risk22set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT22 = Path(__file__).with_name("data") / "risk_heldout22.txt"
# A twenty-third, Mandarin, English and Cantonese, broad and hard (an independent check of the
# issue's bar), written by helper risk23set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT23 = Path(__file__).with_name("data") / "risk_heldout23.txt"
# A twenty-fourth, Mandarin, English and Cantonese, broad and hard (an independent check of the
# issue's bar), written by helper risk24set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT24 = Path(__file__).with_name("data") / "risk_heldout24.txt"
# A twenty-fifth, Mandarin, English and Cantonese, broad and hard (an independent check of the
# issue's bar), written by helper risk25set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT25 = Path(__file__).with_name("data") / "risk_heldout25.txt"
# A twenty-sixth, Mandarin, English and Cantonese, broad and hard (an independent check of the
# issue's bar), written by helper risk26set (a fresh hand) for a later round, unscored when
# written; kept out of "all" likewise, scored only by name, by the round it was written for.
HELDOUT26 = Path(__file__).with_name("data") / "risk_heldout26.txt"
# An everyday check set, all harmless, by a fresh hand (helper everyday2), unscored when
# written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY2 = Path(__file__).with_name("data") / "risk_everyday2.txt"
# A second everyday check set, all harmless, by another fresh hand (helper everyday3), unscored
# when written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY3 = Path(__file__).with_name("data") / "risk_everyday3.txt"
# A third everyday check set, all harmless, by another fresh hand (helper everyday4), unscored
# when written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY4 = Path(__file__).with_name("data") / "risk_everyday4.txt"
# A fourth everyday check set, all harmless, by another fresh hand (helper everyday5), unscored
# when written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY5 = Path(__file__).with_name("data") / "risk_everyday5.txt"
# A fifth everyday check set, all harmless, by another fresh hand (helper everyday6), unscored
# when written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY6 = Path(__file__).with_name("data") / "risk_everyday6.txt"
# A sixth everyday check set, all harmless, by another fresh hand (helper everyday7), unscored
# when written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY7 = Path(__file__).with_name("data") / "risk_everyday7.txt"
# A seventh everyday check set, all harmless, by another fresh hand (helper everyday8), unscored
# when written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY8 = Path(__file__).with_name("data") / "risk_everyday8.txt"
# An eighth everyday check set, all harmless, by another fresh hand (helper everyday9), unscored
# when written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY9 = Path(__file__).with_name("data") / "risk_everyday9.txt"
# A ninth everyday check set, all harmless, by another fresh hand (helper everyday10), unscored
# when written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY10 = Path(__file__).with_name("data") / "risk_everyday10.txt"
# A tenth everyday check set, all harmless, by another fresh hand (helper everyday11), unscored
# when written; never trained or tuned on, kept out of "all" likewise, scored only by name.
EVERYDAY11 = Path(__file__).with_name("data") / "risk_everyday11.txt"
# An eleventh everyday check set, all harmless, by another fresh hand (helper everyday12),
# unscored when written; never trained or tuned on, kept out of "all" likewise, scored only by
# name.
EVERYDAY12 = Path(__file__).with_name("data") / "risk_everyday12.txt"
# A twelfth everyday check set, all harmless, by another fresh hand (helper everyday13),
# unscored when written; never trained or tuned on, kept out of "all" likewise, scored only by
# name.
EVERYDAY13 = Path(__file__).with_name("data") / "risk_everyday13.txt"
# A thirteenth everyday check set, all harmless, by another fresh hand (helper everyday14),
# unscored when written; never trained or tuned on, kept out of "all" likewise, scored only by
# name.
EVERYDAY14 = Path(__file__).with_name("data") / "risk_everyday14.txt"
# A fourteenth everyday check set, all harmless, by another fresh hand (helper everyday15),
# unscored when written; never trained or tuned on, kept out of "all" likewise, scored only by
# name.
EVERYDAY15 = Path(__file__).with_name("data") / "risk_everyday15.txt"
HELDOUTS = {"heldout": HELDOUT, "heldout2": HELDOUT2, "heldout3": HELDOUT3, "heldout4": HELDOUT4,
            "heldout5": HELDOUT5, "heldout6": HELDOUT6, "heldout7": HELDOUT7,
            "heldout8": HELDOUT8, "heldout9": HELDOUT9, "heldout10": HELDOUT10,
            "heldout11": HELDOUT11, "heldout12": HELDOUT12, "heldout13": HELDOUT13,
            "heldout14": HELDOUT14, "heldout15": HELDOUT15, "heldout16": HELDOUT16,
            "heldout17": HELDOUT17, "heldout18": HELDOUT18, "heldout19": HELDOUT19,
            "heldout20": HELDOUT20, "heldout21": HELDOUT21, "heldout22": HELDOUT22,
            "heldout23": HELDOUT23, "heldout24": HELDOUT24, "heldout25": HELDOUT25,
            "heldout26": HELDOUT26,
            "everyday2": EVERYDAY2, "everyday3": EVERYDAY3, "everyday4": EVERYDAY4,
            "everyday5": EVERYDAY5, "everyday6": EVERYDAY6, "everyday7": EVERYDAY7,
            "everyday8": EVERYDAY8, "everyday9": EVERYDAY9, "everyday10": EVERYDAY10,
            "everyday11": EVERYDAY11, "everyday12": EVERYDAY12, "everyday13": EVERYDAY13,
            "everyday14": EVERYDAY14,
            "everyday15": EVERYDAY15}
# "all" scores only the tenth and eleventh sets. The rest are scored by name only: the sets the
# e5 heads train on (in-sample for e5), the sets kept unscored for the rounds they were written
# for, and the everyday check sets (never trained or tuned on when written).
IN_ALL = ("heldout10", "heldout11")
NOT_IN_ALL = frozenset(HELDOUTS) - set(IN_ALL)
SET_CHOICES = ("dev", *HELDOUTS, "both", "all")
CLIPS = Path(__file__).with_name("duplex") / "clips.tsv"
BRAIN_HELDOUT = Path(__file__).with_name("data") / "brain_turns_heldout.yaml"
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


def latency(calls: Sequence[Sequence[str]], what: str, encoder_name: str = "e5",
            head: Sequence[Path] | None = None) -> None:
    from lingxi.safety.encoder import E5Encoder, GemmaEncoder

    started = time.perf_counter()
    encoder: Encoder = E5Encoder() if encoder_name == "e5" else GemmaEncoder()
    encoder(["warm up"])
    load = time.perf_counter() - started
    model = RiskModel.load(head or head_files(encoder_name), encoder=encoder)
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
    """The model (the encoder's shipped head, or `head`) and the sets asked for ("dev",
    "heldout", "heldout2" ... "heldout26", "everyday2" ... "everyday15", "both" = dev and heldout,
    or "all"), each with the model that scores a call of it."""
    encoder = cached_encoder(encoder_name)
    shipped = RiskModel.load(head or head_files(encoder_name), encoder=encoder)
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
