"""The lexical reader of risk (rounds 80-84, bench/risk84_rule.md): which words a turn is said in.

The turn's character 1-3-grams (Han script) and words and word pairs (Latin script) are hashed
into `BUCKETS` rows of one multinomial logistic layer over the six levels. It reads the words
themselves: on heldout103-108 / everyday92-97 (out of sample for both) it read 97-98 % of active+
turns at the shares of harmless turns where R16's heads read 89-94 % (bench/risk80_rule.md). Alone
it also reads a father cooling off on a rooftop as an emergency, so it never speaks first: it
reads again what the e5 heads read passive or higher (`RiskModel._with_lexical`) — until a
call has shown risk it keeps at distress a turn whose words it finds harmless (medicine taken as
prescribed, a game, a bridge toll), and otherwise it may raise the turn to the level its words
say. It never reads the context (a short "mm" after a tired remark took the remark's words) nor
distress. Trained on the spent sets written by fresh hands, heldout36-180 and everyday25-169 since
round 109 (`riskdata.LEXICAL_FILES`; R17's sets before), calibrated on the later ones
(`LEXICAL_DEV_FILES`). Reading a turn costs a few hundred hash lookups.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lingxi.safety.levels import Level
from lingxi.safety.model import CONTEXT_GATE_SHARE, HEAD_FILE, Array, gated_levels, softmax

BUCKETS = 1 << 17
LEXICAL_FILE = HEAD_FILE.with_name("lexical.npz")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z0-9']+")
Ids = npt.NDArray[np.int64]


def grams(text: str) -> set[str]:
    """The n-grams of `text`: Han characters 1-3 at a time, Latin words and word pairs."""
    lowered = text.lower()
    out: set[str] = set()
    for run in _HAN.findall(lowered):
        for n in (1, 2, 3):
            out.update(f"tc{run[i:i + n]}" for i in range(len(run) - n + 1))
    words = _WORD.findall(lowered)
    out.update(f"tw{word}" for word in words)
    out.update(f"tb{a}_{b}" for a, b in itertools.pairwise(words))
    return out


def bucket_ids(text: str) -> Ids:
    """The hashed rows of a turn (normalised as the rules read it). crc32 is the same on every
    machine."""
    return np.asarray(sorted({zlib.crc32(name.encode()) % BUCKETS for name in grams(text)}),
                      np.int64)


def logits_of(weights: Array, bias: Array, rows: Sequence[Ids]) -> Array:
    """(n, 6) scores: each turn's rows summed, scaled by one over the root of their count."""
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
    passive: float  # P(level >= passive) that reads an unflagged turn passive
    meta: dict[str, Any]

    def probabilities(self, texts: Sequence[str]) -> Array:
        rows = [bucket_ids(text) for text in texts]
        return softmax(logits_of(self.weights, self.bias, rows) / self.temperature)

    def decide(self, probabilities: Array, call: Level = Level.NONE) -> list[Level]:
        """Levels as `Head.decide` with a gate (from passive up the gate is lower), never
        distress."""
        at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
        share = CONTEXT_GATE_SHARE if call >= Level.PASSIVE else 1.0
        return gated_levels(at_least, self.gate * share, math.inf, self.passive)

    def level(self, text: str, call: Level = Level.NONE) -> Level:
        return self.decide(self.probabilities([text]), call)[0]

    def save(self, path: Path = LEXICAL_FILE) -> None:
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=self.bias,
                            bars=np.asarray([self.temperature, self.gate, self.passive],
                                            np.float32),
                            meta=json.dumps(self.meta))

    @classmethod
    def load(cls, path: Path = LEXICAL_FILE) -> LexicalHead:
        with np.load(path) as raw:
            temperature, gate, passive = (float(v) for v in raw["bars"])
            return cls(raw["weights"].astype(np.float32), raw["bias"].astype(np.float32),
                       temperature, gate, passive, json.loads(str(raw["meta"])))
