"""Text emotion, measured: the lexicon alone, the learned model alone and the two combined (as a
call reads a turn's words), on every written set in bench/data/affect, with confusion matrices;
the cost per turn (the encoder on one thread, as in a call), with and without the risk model
having embedded the turn first; the head's file size.

    .venv/bin/python bench/bench_affect_text.py [--rounds 3]

text_unseen.tsv (60 lines, written after the lexicon was frozen) and text_heldout2.tsv (156
lines, written before the model existed) are never trained or tuned on: score them, report
them, change nothing because of them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_affect import DATA, LABELS, accuracy, matrix, pct
from lingxi.engines.affect import feeling_of
from lingxi.engines.affect.combine import TextFeeling
from lingxi.engines.affect.learned import LABELS as MODEL_LABELS
from lingxi.engines.affect.learned import RecentVectors, TextHead, TextModel, head_file
from lingxi.engines.affect.textdata import read_lines
from lingxi.safety.assess import default_assessor
from lingxi.safety.encoder import default_encoder
from lingxi.safety.model import RiskModel

SETS = (("text_dev.tsv", "dev of the lexicon (tuned on by the lexicon)"),
        ("text_heldout.tsv", "seen while writing the lexicon"),
        ("text_unseen.tsv", "UNSEEN: written after the lexicon was frozen; never trained on"),
        ("text_heldout2.tsv", "HELD-OUT 2: written before the model; never trained on"))


def readers(feeling: TextFeeling) -> dict[str, Callable[[str], str]]:
    model = feeling.model

    def model_alone(text: str) -> str:
        return MODEL_LABELS[int(model.probabilities([text])[0].argmax())]

    return {"lexicon": lambda t: feeling_of(t).label, "model": model_alone,
            "combined": lambda t: feeling(t).label}


def score_sets(feeling: TextFeeling, show: tuple[str, ...]) -> None:
    meta = feeling.model.head.meta
    print(f"## Development split of the training data (out-of-fold, {meta['dev']} lines; the "
          f"combination {meta['combine']} was chosen here): {meta['dev_accuracy']}")
    for name, what in SETS:
        lines = read_lines(DATA / name)
        print(f"\n## {name} ({len(lines)} lines): {what}")
        for reader, read in readers(feeling).items():
            pairs: Counter[tuple[str, str]] = Counter((x.label, read(x.text)) for x in lines)
            print(f"  {reader:9} {accuracy(pairs)}")
            if name in show:
                print("\n" + matrix(pairs, LABELS) + "\n")


def cost(feeling: TextFeeling, rounds: int) -> None:
    """ms per turn: the lexicon; the combination embedding the turn itself; the risk model
    (which embeds it) then the combination reading the shared vector."""
    texts = [x.text for x in read_lines(DATA / "text_heldout2.tsv")]
    shared = RecentVectors(default_encoder(), size=4)
    risk = RiskModel.load(encoder=shared)
    head = feeling.model.head
    prepare = default_assessor().normalise
    fresh = TextFeeling(TextModel(head, RecentVectors(default_encoder(), size=1), prepare))
    after_risk = TextFeeling(TextModel(head, shared, prepare))
    # In this order, as in a call: the risk model embeds the turn before the words are read.
    steps: dict[str, Callable[[str], object]] = {
        "lexicon": feeling_of, "combined, own embedding": fresh,
        "risk model (reference)": risk.score,
        "combined after the risk model (shared vector)": after_risk}
    got: dict[str, list[float]] = {name: [] for name in steps}
    for index in range(rounds):
        for text in texts:
            marked = f"{text} {index}" if index else text  # a new text: nothing remembered
            for name, step in steps.items():
                t = time.perf_counter()
                step(marked)
                got[name].append((time.perf_counter() - t) * 1000)
    print(f"\n## Cost per turn, ms ({len(texts) * rounds} turns, encoder on one thread; load "
          f"average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    for name, ms in got.items():
        print(f"  {name:48} p50 {statistics.median(ms):7.3f}  p95 {pct(ms, 95):7.3f}")
    print(f"  shared-vector hits: {shared.hits}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    feeling = TextFeeling(TextModel(TextHead.load(), default_encoder(),
                                    default_assessor().normalise))
    feeling("warm up")
    print(f"head file: {head_file().stat().st_size} bytes; "
          f"{len(read_lines(DATA / 'text_heldout2.tsv'))} held-out-2 lines")
    score_sets(feeling, show=("text_unseen.tsv", "text_heldout2.tsv"))
    cost(feeling, args.rounds)


if __name__ == "__main__":
    main()
