"""Train the lexical reader of risk: `python -m lingxi.safety.lexical_train`.

Reproducible from the data alone (a fixed seed): the layer is trained on the spent sets as written
(`riskdata.LEXICAL_FILES`: R17's sets until round 109, heldout36-180 and everyday25-169 since),
each turn read alone as `RiskModel` reads it; then its temperature, gate and passive bar are
fitted on the later spent sets (`LEXICAL_DEV_FILES`), which it never trains on, at the shares of
harmless development turns in `BUDGETS` (rounds 80-83, bench/risk83_rule.md; round 109,
bench/risk109_rule.md). Writes `data/risk/lexical.npz`. About 40 s on one core.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lingxi.files import cache_dir
from lingxi.safety.fitting import Labels, fit_temperature
from lingxi.safety.lexical import BUCKETS, LEXICAL_FILE, Ids, LexicalHead, bucket_ids, logits_of
from lingxi.safety.model import Array, softmax
from lingxi.safety.riskdata import LEXICAL_DEV_FILES, LEXICAL_FILES, conversations, read_training
from lingxi.safety.train import data_digest, fit_gate, fit_passive_bar, to_split

# Shares of harmless development turns the gate and the passive bar may flag: 0.1 % and none
# (a passive bar just above every harmless development turn under the gate), chosen in round 82
# (bench/risk82_rule.md) on heldout103-108 / everyday92-97 — at 0.2 % or more a harmless turn
# raised keeps its call raised, and everyday lines read passive rose past 0.5 %.
BUDGETS = (0.001, 0.0)
EPOCHS = 6
BATCH = 256
STEP = 0.2  # AdaGrad's step for the weights
BIAS_STEP = 0.05


def fit_layer(rows: Sequence[Ids], y: Labels, seed: int = 15) -> tuple[Array, Array]:
    """Multinomial logistic weights over hashed rows by AdaGrad on minibatches (sparse: a batch
    updates only the rows its turns hold)."""
    n = len(rows)
    weights = np.zeros((BUCKETS, 6), np.float32)
    bias = np.log(np.bincount(y, minlength=6) / n + 1e-6).astype(np.float32)
    squared = np.full((BUCKETS, 6), 1e-8, np.float32)
    rng = np.random.default_rng(seed)
    for _ in range(EPOCHS):
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            batch = order[start:start + BATCH]
            logits = logits_of(weights, bias, [rows[k] for k in batch])
            grad = softmax(logits)
            grad[np.arange(len(batch)), y[batch]] -= 1.0
            grad /= len(batch)
            ids = np.concatenate([rows[k] for k in batch])
            owners = np.repeat(np.arange(len(batch)), [len(rows[k]) for k in batch])
            scale = np.asarray([1 / np.sqrt(max(len(rows[k]), 1)) for k in batch], np.float32)
            touched, inverse = np.unique(ids, return_inverse=True)
            step = np.zeros((len(touched), 6), np.float32)
            np.add.at(step, inverse, grad[owners] * scale[owners, None])
            squared[touched] += step ** 2
            weights[touched] -= STEP * step / np.sqrt(squared[touched])
            bias -= BIAS_STEP * grad.sum(axis=0)
    return weights, bias


def development(head: LexicalHead, y: Labels, logits: Array,
                budgets: tuple[float, float] = BUDGETS) -> LexicalHead:
    """The head with its bars fitted on development logits at `budgets`."""
    temperature = fit_temperature(logits, y)
    probabilities = softmax(logits / temperature)
    gate, _ = fit_gate(probabilities, y, budgets[0])
    passive = fit_passive_bar(probabilities, y, gate, budgets[1])
    return LexicalHead(head.weights, head.bias, temperature, gate, passive, head.meta)


def train(out: Path = LEXICAL_FILE, seed: int = 15) -> LexicalHead:
    split = to_split(conversations(read_training(files=LEXICAL_FILES)))
    weights, bias = fit_layer([bucket_ids(turn) for turn, _ in split.pairs], split.labels, seed)
    dev = to_split(conversations(read_training(files=LEXICAL_DEV_FILES)))
    logits = logits_of(weights, bias, [bucket_ids(turn) for turn, _ in dev.pairs])
    meta = {"train": len(split.labels), "dev": len(dev.labels), "data": data_digest("lexical"),
            "buckets": BUCKETS, "epochs": EPOCHS, "seed": seed, "budgets": list(BUDGETS),
            "train_levels": dict(Counter(int(v) for v in split.labels))}
    head = development(LexicalHead(weights, bias, 1.0, 0.0, 0.0, meta), dev.labels, logits)
    # The development logits, to refit the bars without a retrain (not shipped).
    np.savez_compressed(cache_dir() / f"risk_development_{out.stem}.npz", logits=logits,
                        labels=dev.labels)
    head.save(out)
    return head


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=LEXICAL_FILE)
    args = parser.parse_args(argv)
    head = train(args.out)
    print(f"wrote {args.out}: train {head.meta['train']} turns, dev {head.meta['dev']}, "
          f"temperature {head.temperature:.2f}, gate {head.gate:.3f}, passive "
          f"{head.passive:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
