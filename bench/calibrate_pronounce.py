"""Decide the pronunciation scorer's margins on the DEVELOPMENT targets only (never the held-out
half), and write them to `src/lingxi/engines/pronounce/margins.yaml`.

A typical error is named when the audio fits it better than the target by a margin (per frame of
the target phone, its acoustic cue added: engines/pronounce/cues.py). How much better varies by
error (th→s shows small gains, r→l large ones), so each error seen in the development attempts
gets its own margin: the one that names the most attempts with that error while firing on the
fewest correct ones (ties: the middle one). Errors not seen there get the margin of their kind
(`error_class`: vowels, l/n/r, other consonants, dropped and added sounds), chosen the same way
over every error of that kind.
The attempts are the dev half of the evaluation set as the bench speaks it, and more of the
same dev targets (`extra_clips`: espeak-ng slower, faster and higher, en-gb, a second piper
draw): with 2–6 attempts per error the margins fitted the noise (leave-one-target-out:
`--cv`).
`--clips FILE` keeps the attempts' audio: the first run speaks them and saves them, later runs
read them, so two versions of the scorer are compared on the same attempts (piper's voice
varies from draw to draw, and a fresh draw moves the counts as much as a small change does).

    .venv/bin/python bench/calibrate_pronounce.py [--clips dev.npz] [--cache gains.json] [--cv]
        [--write]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: tests/

from tests.skills.pronounce_set import Clip, clips, extra_clips, items, judges, stored

from lingxi.engines.pronounce import sphinx
from lingxi.engines.pronounce.sphinx import SphinxScorer, Thresholds, pair
from lingxi.engines.pronounce.variants import error_class

MARGINS = Path(sphinx.__file__).parent / "margins.yaml"
GRID = (-10.0, -5.0, 0.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 80.0)
# One attempt: its target and error, whether it was said correctly, and (word, error, gain per
# frame) for every typical error of every judged word.
Record = dict[str, object]
Gains = dict[str, list[float]]


def _expected(r: Record) -> str:
    phone, heard = str(r["phone"]), str(r["heard"])
    return pair(phone, "" if heard == "-" else
                f"{phone} {heard[1:]}" if heard.startswith("+") else heard)


def _gains(r: Record) -> list[tuple[str, str, float]]:
    return [(str(w), str(k), float(g)) for w, k, g in r["gains"]]  # type: ignore[attr-defined]


def attempts(store: Path | None, pool: tuple[str, ...] = ("dev",)) -> list[Clip]:
    """The calibration attempts as audio: the development targets with their extra
    renderings, and the other splits in `pool` as the bench speaks them; read from `store` when
    it is there, else spoken now (and saved to `store`)."""
    never = judges(5)
    if not set(never).isdisjoint(pool):
        raise ValueError(f"held5 to {never[-1]} judge: never calibrate on them")
    dev = [i for i in items() if i.split == "dev"]
    more = [i for i in items() if i.split in pool and i.split != "dev"]
    return stored(store, lambda: [*clips(dev), *extra_clips(dev), *clips(more)], dev + more)


def measure(cache: Path | None, store: Path | None = None,
            pool: tuple[str, ...] = ("dev",)) -> list[Record]:
    """Every calibration attempt's gains (read from `cache` when it is there)."""
    if cache is not None and cache.is_file():
        records: list[Record] = json.loads(cache.read_text("utf-8"))
        return records
    scorer = SphinxScorer(dataclasses.replace(Thresholds(), pair_margins={}, class_margins={}))
    records = []
    for clip in attempts(store, pool):
        item = clip.item
        records.append({"text": item.text, "word": item.word, "phone": item.phone,
                        "heard": item.heard, "voice": clip.voice, "correct": clip.correct,
                        "gains": scorer.all_gains(clip.pcm, 16000, item.text)})
    if cache is not None:
        cache.write_text(json.dumps(records), "utf-8")
    return records


def _gathered(records: list[Record], key: Callable[[str], str]) -> tuple[Gains, Gains]:
    """Per key of an error: its gains on the attempts that made it, and the best gain of that
    key on each correct attempt (what a margin must stay above)."""
    made: Gains = defaultdict(list)
    correct: Gains = defaultdict(list)
    for r in records:
        if r["correct"]:
            best: dict[str, float] = {}
            for _, name, gain in _gains(r):
                best[key(name)] = max(best.get(key(name), -1e9), gain)
            for k, gain in best.items():
                correct[k].append(gain)
        else:
            want = _expected(r)
            made[key(want)] += [g for word, name, g in _gains(r)
                                if name == want and word == r["word"]]
    return made, correct


def _best(hits: list[float], fires: list[float]) -> float:
    value = {m: sum(g > m for g in hits) - sum(g > m for g in fires) for m in GRID}
    best = [m for m in GRID if value[m] == max(value.values())]
    return best[len(best) // 2]  # the middle of the best range: least on its edge


def choose(records: list[Record]) -> dict[str, dict[str, float]]:
    made, correct = _gathered(records, lambda name: name)
    kinds_made, kinds_correct = _gathered(records, error_class)
    return {"pairs": {k: _best(h, correct.get(k, [])) for k, h in sorted(made.items())},
            "classes": {k: _best(h, kinds_correct.get(k, []))
                        for k, h in sorted(kinds_made.items())}}


def _judged(r: Record, margins: dict[str, dict[str, float]]) -> tuple[bool, bool]:
    """As the scorer decides: (any error named, the attempt's own error named)."""
    found: dict[tuple[str, str], tuple[str, float]] = {}
    for word, name, gain in _gains(r):
        m = margins["pairs"].get(name, margins["classes"].get(error_class(name), 20.0))
        at = (word, name.partition(">")[0])
        if gain > m and gain > found.get(at, ("", -1e9))[1]:
            found[at] = (name, gain)
    named = not r["correct"] and found.get((str(r["word"]), str(r["phone"])), ("",))[0] == \
        _expected(r)
    return bool(found), named


def cross_validated(records: list[Record]) -> dict[str, float]:
    """Leave one target out: margins chosen without any attempt at it, judged on it."""
    out: list[tuple[Record, tuple[bool, bool]]] = []
    for text in sorted({str(r["text"]) for r in records}):
        margins = choose([r for r in records if r["text"] != text])
        out += [(r, _judged(r, margins)) for r in records if r["text"] == text]
    wrong = [j for r, j in out if not r["correct"]]
    right = [j for r, j in out if r["correct"]]
    return {"detection": sum(f for f, _ in wrong) / len(wrong),
            "false_alarms": sum(f for f, _ in right) / len(right),
            "named_of_wrong": sum(n for _, n in wrong) / len(wrong), "attempts": len(out)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=None, help="gains, read or written")
    parser.add_argument("--clips", type=Path, default=None,
                        help="the attempts' audio (.npz), read or written: the same draws")
    parser.add_argument("--cv", action="store_true", help="leave-one-target-out")
    parser.add_argument("--pool", default="dev",
                        help="splits calibrated on, comma-separated (dev and the spent "
                             "held-out sets: held,held2,held3,held4)")
    parser.add_argument("--write", action="store_true", help=f"write {MARGINS}")
    args = parser.parse_args()
    records = measure(args.cache, args.clips, tuple(args.pool.split(",")))
    chosen = choose(records)
    made, correct = _gathered(records, lambda name: name)
    for key, m in chosen["pairs"].items():
        print(f"{key:10} margin {m:6.1f}  errors {sorted(round(g) for g in made[key])}  "
              f"correct {sorted(round(g) for g in correct.get(key, []))[-4:]}")
    print("kinds:", chosen["classes"])
    if args.cv:
        print("leave-one-target-out:", cross_validated(records))
    if args.write:
        head = ("# Margins of the pronunciation scorer, per error and per kind of error, decided"
                " by\n# bench/calibrate_pronounce.py on these splits of"
                f" bench/data/pronounce_eval.yaml: {args.pool}\n"
                f"# (never on {', '.join(judges(5)[:-1])} or {judges(5)[-1]}).\n")
        MARGINS.write_text(head + yaml.safe_dump(chosen, allow_unicode=True), "utf-8")


if __name__ == "__main__":
    main()
