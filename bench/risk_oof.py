#!/usr/bin/env python
"""Out-of-fold scores of the risk head, saved for trying threshold rules offline.

Trains the five fold heads (as `lingxi.safety.train` does) on the shipped training files, or
on them plus extra files (`--extra train_v5.txt`), and writes each development turn's raw
logits, label, call number, turn number, whether it came from an extra file, and the extra
files' names to an .npz (`risk_crossfit.py score` reads it).
Turns of the extra files are marked so that two runs can be compared on the same turns.

`--encoder gemma` swaps the sentence encoder (EmbeddingGemma-300M, an experiment for issue 15:
`bench/encoder_rule.md`); the head's input width follows the encoder's dimension.

Run:  .venv/bin/python bench/risk_oof.py OUT.npz [--extra train_v5.txt ...] [--encoder gemma]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lingxi.safety.encoder import ENCODERS
from lingxi.safety.model import RiskModel
from lingxi.safety.riskdata import RISK_DIR, TRAIN_FILES, read_examples
from lingxi.safety.train import blank_head, cached_encoder, corpus, fold_heads, to_split

NOISY = 2  # recogniser-noise variants per written call in `corpus`


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--extra", nargs="*", default=[])
    parser.add_argument("--encoder", choices=ENCODERS, default="e5")
    parser.add_argument("--seed", type=int, default=15, help="the fold heads' seed")
    args = parser.parse_args(argv)
    extra_texts = {e.text for name in args.extra for e in read_examples(RISK_DIR / name)}
    model = RiskModel(blank_head(), encoder=cached_encoder(args.encoder))
    logits: list[npt.NDArray[np.float32]] = []
    labels: list[npt.NDArray[np.int64]] = []
    calls: list[int] = []
    turns: list[int] = []
    extra: list[bool] = []
    number = 0
    for head, fold in fold_heads(corpus(files=(*TRAIN_FILES, *args.extra)), model, args.seed):
        split = to_split(fold)
        logits.append(head.logits(model.features(split.pairs)))
        labels.append(split.labels)
        for index, call in enumerate(fold):  # each written call, then its NOISY variants
            written = fold[index - index % (1 + NOISY)][0].text
            calls.extend([number] * len(call))
            turns.extend(range(len(call)))
            extra.extend([written in extra_texts] * len(call))
            number += 1
    np.savez(args.out, logits=np.concatenate(logits), labels=np.concatenate(labels),
             calls=np.asarray(calls), turns=np.asarray(turns), extra=np.asarray(extra),
             extras=np.asarray(list(args.extra), dtype=str), encoder=np.asarray(args.encoder))
    print(f"wrote {args.out}: {len(calls)} turns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
