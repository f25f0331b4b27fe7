"""The lexical reader of risk (round 80, bench/risk80_rule.md): which words a turn is said in.

The turn's own character 1-3-grams (Han script) and words and word pairs (Latin script), and
those of its context turns apart, are hashed into `BUCKETS` rows of one multinomial logistic
layer over the six levels. It reads what the sentence encoder blurs: e5-small, quantised to four
bits, puts "practised the knot on the garage beam" near a harmless chore, where the words
"knot" and "beam" together are what fresh hands' callers say before a plan. Trained on the same
spent sets as R17 (`riskdata.FOURTH_FILES`) and calibrated on the later ones (`FOURTH_DEV_FILES`),
it decides a turn's level as a head does (`model.gated_levels`); beside the e5 heads either may
raise the turn (`RiskModel`). Reading a turn costs a few hundred hash lookups.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lingxi.safety.levels import Level
from lingxi.safety.model import (
    CONTEXT_GATE_SHARE,
    HEAD_FILE,
    Array,
    Pair,
    gated_levels,
    softmax,
)

BUCKETS = 1 << 17
LEXICAL_FILE = HEAD_FILE.with_name("lexical.npz")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z0-9']+")
Ids = npt.NDArray[np.int64]


def grams(text: str, tag: str) -> set[str]:
    """The n-grams of `text`, each marked with `tag` (whose text it is)."""
    lowered = text.lower()
    out: set[str] = set()
    for run in _HAN.findall(lowered):
        for n in (1, 2, 3):
            out.update(f"{tag}c{run[i:i + n]}" for i in range(len(run) - n + 1))
    words = _WORD.findall(lowered)
    out.update(f"{tag}w{word}" for word in words)
    out.update(f"{tag}b{a}_{b}" for a, b in zip(words, words[1:]))
    return out


def bucket_ids(pair: Pair) -> Ids:
    """The hashed rows of a (turn, context turns) pair: the turn's n-grams, and those of the
    turns before it (its context less itself). crc32 is the same on every machine."""
    turn, context = pair
    names = grams(turn, "t") | grams(" ".join(context[:-1]), "x")
    return np.asarray(sorted({zlib.crc32(name.encode()) % BUCKETS for name in names}), np.int64)


def logits_of(weights: Array, bias: Array, rows: Sequence[Ids]) -> Array:
    """(n, 6) scores: each pair's rows summed, scaled by one over the root of their count."""
    out = np.empty((len(rows), 6), np.float32)
    for k, ids in enumerate(rows):
        out[k] = weights[ids].sum(axis=0) / np.sqrt(max(len(ids), 1)) + bias
    return out


@dataclass(frozen=True)
class LexicalHead:
    weights: Array  # (BUCKETS, 6)
    bias: Array  # (6,)
    temperature: float
    gate: float  # P(level >= active) that flags a turn, as `Head.gate`
    distress: float  # P(level >= distress) that reads distress
    passive: float  # P(level >= passive) that reads an unflagged turn passive
    meta: dict[str, Any]

    def probabilities(self, pairs: Sequence[Pair]) -> Array:
        rows = [bucket_ids(pair) for pair in pairs]
        return softmax(logits_of(self.weights, self.bias, rows) / self.temperature)

    def decide(self, probabilities: Array, call: Level = Level.NONE) -> list[Level]:
        """Levels as `Head.decide` with a gate: from passive up the gate is lower."""
        at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
        share = CONTEXT_GATE_SHARE if call >= Level.PASSIVE else 1.0
        return gated_levels(at_least, self.gate * share, self.distress, self.passive)

    def level(self, pair: Pair, call: Level = Level.NONE) -> Level:
        return self.decide(self.probabilities([pair]), call)[0]

    def save(self, path: Path = LEXICAL_FILE) -> None:
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=self.bias,
                            bars=np.asarray([self.temperature, self.gate, self.distress,
                                             self.passive], np.float32),
                            meta=json.dumps(self.meta))

    @classmethod
    def load(cls, path: Path = LEXICAL_FILE) -> LexicalHead:
        with np.load(path) as raw:
            temperature, gate, distress, passive = (float(v) for v in raw["bars"])
            return cls(raw["weights"].astype(np.float32), raw["bias"].astype(np.float32),
                       temperature, gate, distress, passive, json.loads(str(raw["meta"])))
