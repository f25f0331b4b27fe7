"""Decide the pronunciation scorer's margins on the DEVELOPMENT half of the evaluation set only
(never the held-out half), and write them to `src/lingxi/engines/pronounce/margins.yaml`.

A typical error is named when the audio fits it better than the target by a margin (per frame
of the target phone). How much better varies by pair (th→s shows small gains, r→l large ones),
so each pair seen in the development half gets its own margin: the one that names the most
errors of that pair while firing on the fewest correct clips (ties: the middle one). Pairs
not seen there keep the default.

    .venv/bin/python bench/calibrate_pronounce.py [--write]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: tests/

from tests.skills.pronounce_set import clips, items

from lingxi.engines.pronounce import sphinx
from lingxi.engines.pronounce.sphinx import SphinxScorer, Thresholds, pair

MARGINS = Path(sphinx.__file__).parent / "margins.yaml"
GRID = (-10.0, -5.0, 0.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0)


def _expected(item_phone: str, heard: str) -> str:
    return pair(item_phone, "" if heard == "-" else
                f"{item_phone} {heard[1:]}" if heard.startswith("+") else heard)


def measure() -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Per pair: its per-frame gains on the clips that made that error, and the best gain of
    that pair on each correct clip (what a margin must stay above)."""
    scorer = SphinxScorer(dataclasses.replace(Thresholds(), pair_margins={}))
    made: dict[str, list[float]] = defaultdict(list)
    correct: dict[str, list[float]] = defaultdict(list)
    for clip in clips([i for i in items() if i.split == "dev"]):
        item = clip.item
        gains = scorer.all_gains(clip.pcm, 16000, item.text)
        if clip.correct:
            best: dict[str, float] = {}
            for _, key, gain in gains:
                best[key] = max(best.get(key, -1e9), gain)
            for key, gain in best.items():
                correct[key].append(gain)
        else:
            want = _expected(item.phone, item.heard)
            made[want] += [g for word, key, g in gains if key == want and word == item.word]
    return made, correct


def choose(made: dict[str, list[float]], correct: dict[str, list[float]]) -> dict[str, float]:
    out = {}
    for key, hits in sorted(made.items()):
        value = {m: sum(g > m for g in hits) - sum(g > m for g in correct.get(key, []))
                 for m in GRID}
        best = [m for m in GRID if value[m] == max(value.values())]
        out[key] = best[len(best) // 2]  # the middle of the best range: least on its edge
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"write {MARGINS}")
    args = parser.parse_args()
    made, correct = measure()
    chosen = choose(made, correct)
    for key, m in chosen.items():
        print(f"{key:10} margin {m:6.1f}  errors {sorted(round(g) for g in made[key])}  "
              f"correct {sorted(round(g) for g in correct.get(key, []))[-4:]}")
    if args.write:
        head = ("# Per-pair margins of the pronunciation scorer, decided on the development half"
                " of\n# bench/data/pronounce_eval.yaml by bench/calibrate_pronounce.py (never on"
                " the held-out half).\n")
        MARGINS.write_text(head + yaml.safe_dump(chosen, allow_unicode=True), "utf-8")


if __name__ == "__main__":
    main()
