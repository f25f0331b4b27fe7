#!/usr/bin/env python
"""Cross-fitted development numbers for the risk head on sets written by other hands (round 9).

The out-of-fold logits come from `risk_oof.py OUT.npz --extra FILE ...` (the five fold heads
as `lingxi.safety.train` trains them, on the shipped files plus the extra ones, e.g. the spent
held-out sets v5 and v6 by absolute path). An extra file's calls fall into train.py's own
folds by call (`fold_of`), so a multi-turn call never straddles folds and every turn of an
extra file is scored by a head that never saw its call.

`score OUT.npz`: fits the temperature and the gate on all out-of-fold turns as train.py does
(`--budget`: the gate's share of harmless turns; several may be given) and prints the
combined (rules and model) recall ≥ active / imminent rated ≥ plan / false alarms ≥ passive
for the old development turns (the floor: the shipped files' turns and their noise variants)
and for each extra file's written turns, with v5 and v6 together, per language and (`--kinds`)
per kind. `score --main OOF.npz` scores main instead: the old turns from `risk_oof.py`'s
saved scores, v5 and v6 by the shipped head (which never saw them), the gate fitted on the
old turns.

Run:  .venv/bin/python bench/risk_oof.py OUT.npz --extra FILE ...
      .venv/bin/python bench/risk_crossfit.py score OUT.npz [--budget 0.028 ...] [--kinds]
      .venv/bin/python bench/risk_crossfit.py score --main artifacts/oof_base.npz
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

import lingxi.safety.fitting as fitting
import lingxi.safety.train as train
from lingxi.safety import Level, RiskTracker
from lingxi.safety.model import HEAD_FILE, Head, RiskModel, model_inputs, softmax
from lingxi.safety.riskdata import RISK_DIR, TRAIN_FILES, Example, conversations, read_examples
from risk_dev_fast import Replay

DATA = Path(__file__).with_name("data")
V5V6 = {"v5": "risk_heldout5.txt", "v6": "risk_heldout6.txt"}
Array = npt.NDArray[np.float32]
Pairs = list[tuple[Example, Level]]


def source_name(path: str) -> str:
    name = Path(path).name
    return next((key for key, file in V5V6.items() if file == name), name.removesuffix(".txt"))


def at_least_of(probabilities: Array) -> Array:
    out: Array = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    return out


def gate_at(at_least: Array, labels: npt.NDArray[np.int64], budget: float) -> float:
    """The gate `fit_gate` would set with `GATE_ALARMS = budget`."""
    harmless = np.sort(at_least[labels == 0][:, 3])[::-1]
    return float(np.nextafter(np.float32(harmless[int(budget * len(harmless))]),
                              np.float32(2.0)))


Scored = tuple[list[list[Example]], list[tuple[str, bool]], Array, Array,
               npt.NDArray[np.int64], float]


def crossfitted(path: Path) -> Scored:
    """Calls, (source, written) per call, P(level >= k) per turn, the gate's pool, its labels
    and the distress bar, for a `risk_oof.py` output made with `--extra`."""
    with np.load(path) as raw:
        logits, labels = raw["logits"], raw["labels"]
        extras = [str(e) for e in raw["extras"]]
    folds = train.corpus(files=(*TRAIN_FILES, *extras)).folds
    keys = {example.call or example.text: source_name(name) for name in extras
            for example in read_examples(RISK_DIR / name)}
    calls, sources = [], []
    per = 3  # each written call, then its two noise variants (train.noisy_calls)
    for fold in folds:
        for index, call in enumerate(fold):
            written = fold[index - index % per][0]
            calls.append(call)
            sources.append((keys.get(written.call or written.text, "old dev"),
                            index % per == 0))
    probabilities = softmax(logits / fitting.fit_temperature(logits, labels))
    _, thresholds = train.fit_gate(probabilities, labels)
    at_least = at_least_of(probabilities)
    return calls, sources, at_least, at_least, labels, float(thresholds[1])


def main_scores(oof: Path) -> Scored:
    """Main: the old turns' saved out-of-fold scores; v5 and v6 by the shipped head."""
    with np.load(oof) as raw:
        logits, labels = raw["logits"], raw["labels"]
    calls = [call for fold in train.corpus().folds for call in fold]
    sources = [("old dev", False)] * len(calls)
    head = Head.load(HEAD_FILE)
    model = RiskModel(train.blank_head(), encoder=train.cached_encoder())
    temperature = fitting.fit_temperature(logits, labels)
    probabilities = softmax(logits / temperature)
    _, thresholds = train.fit_gate(probabilities, labels)
    pool = at_least_of(probabilities)
    rows = [pool]
    for key, name in V5V6.items():
        for call in conversations(read_examples(DATA / name)):
            pairs = [model_inputs(t.text, [u.text for u in call[:i]]) for i, t in enumerate(call)]
            rows.append(at_least_of(softmax(head.logits(model.features(pairs)) / temperature)))
            calls.append(call)
            sources.append((key, True))
    return calls, sources, np.concatenate(rows), pool, labels, float(thresholds[1])


def rates(pairs: Pairs) -> str:
    def share(hits: list[bool]) -> str:
        return f"{100 * sum(hits) / max(len(hits), 1):5.1f}% ({sum(hits)}/{len(hits)})"
    high = [p >= Level.ACTIVE for t, p in pairs if t.level >= Level.ACTIVE]
    imminent = [p >= Level.PLAN for t, p in pairs if t.level == Level.IMMINENT]
    none = [p >= Level.PASSIVE for t, p in pairs if t.level == Level.NONE]
    return (f"recall {share(high)}  imminent>=plan {share(imminent)}  "
            f"false alarms {share(none)}")


def score(scored: Scored, budgets: Sequence[float], kinds: bool) -> None:
    calls, sources, at_least, pool, labels, distress = scored
    assert sum(map(len, calls)) == len(at_least), "the .npz was made from other data files"
    for budget in budgets:
        gate = gate_at(pool, labels, budget)
        groups: dict[str, Pairs] = defaultdict(list)
        start = 0
        for call, (source, written) in zip(calls, sources, strict=True):
            tracker = RiskTracker(model=Replay(  # type: ignore[arg-type]
                at_least[start:start + len(call)], gate, distress))
            pairs = [(turn, tracker.observe(turn.text).call_level) for turn in call]
            start += len(call)
            if source == "old dev":
                groups["old dev (floor)"].extend(pairs)
            elif written:
                groups[source].extend(pairs)
                if source in V5V6:
                    groups["v5+v6"].extend(pairs)
                    for turn, level in pairs:
                        groups[f"v5+v6 {turn.lang}"].append((turn, level))
                        groups[f"v5+v6 kind {turn.kind}"].append((turn, level))
        print(f"-- budget {budget}: gate {gate:.3f}")
        for key in sorted(groups):
            if kinds or " kind " not in key:
                print(f"  {key:28} {rates(groups[key])}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    scoring = sub.add_parser("score")
    scoring.add_argument("oof", type=Path, nargs="?")
    scoring.add_argument("--main", type=Path, help="risk_oof.py's scores of the shipped files")
    scoring.add_argument("--budget", nargs="*", type=float, default=[train.GATE_ALARMS])
    scoring.add_argument("--kinds", action="store_true")
    args = parser.parse_args(argv)
    if args.main is not None:
        score(main_scores(args.main), args.budget, args.kinds)
    else:
        score(crossfitted(args.oof), args.budget, args.kinds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
