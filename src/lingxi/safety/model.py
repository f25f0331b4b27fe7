"""The learned risk model: the e5 embedding of a turn and the mean of its recent context's turn
embeddings, and a small calibrated classifier head over the six levels (`data/risk/head.npz`,
trained by `python -m lingxi.safety.train`).

The context is the mean of the turns' own vectors rather than one embedding of the turns
joined: each turn is then embedded once in its call, and a turn costs one encode of its own
words (≈ 1 ms of CPU per token) instead of that plus one of three turns' words, about four
times the CPU, which at a few hundred concurrent calls was most of the server's.

The head is a small network on the two standardised embeddings (768 inputs): one hidden layer
of rectified units and a softmax over the levels (a plain logistic head when the file has no
hidden layer), with a temperature fitted on the development split. A level is chosen from the
cumulative probabilities P(level ≥ k). A head with a gate (`gated_levels`): a turn is flagged
when P(level ≥ active) reaches the gate — one quantile of harmless development scores, or
`CONTEXT_GATE_SHARE` of it once the call has reached passive — and then gets the median of its
risk levels; a turn it does not flag is passive when P(level ≥ passive) reaches the head's
passive bar (fitted like the gate, since round 45; before, `PASSIVE_BAR` times the gate). An
older head without a gate: the highest level k whose
P(level ≥ k) reaches that level's own threshold.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from lingxi.safety.assess import default_assessor
from lingxi.safety.encoder import Encoder, default_encoder, encoder_named
from lingxi.safety.levels import Level
from lingxi.safety.reading import TurnWords
from lingxi.safety.riskdata import RISK_DIR

if TYPE_CHECKING:
    from lingxi.safety.lexical import LexicalHead

HEAD_FILE = RISK_DIR / "head.npz"


# The seeds of the heads shipped per ensemble: each ensemble's level is the median of three
# (bench/risk13_rule.md; e5's since round 14, bench/risk14_rule.md, trained with the spent sets).
# "e5b" is the second ensemble over e5's vectors (R13b: more data, its own passive bars).
# "e5c" is the third (R16, round 78): only sets written by fresh hands (`riskdata.THIRD_FILES`);
# "e5d" the fourth (R17, round 79): the same recipe on more of them (`riskdata.FOURTH_FILES`).
SHIPPED_SEEDS = {"e5": (15, 16, 17), "e5b": (15, 16, 17), "e5c": (15, 16, 17),
                 "e5d": (15, 16, 17), "gemma": (15, 16, 17)}
# The ensembles an encoder's model holds, first the one whose probabilities it reports. Two
# ensembles trained on different data catch different risk: either may raise a turn (round 49,
# bench/risk49_rule.md: over six spent sets neither had trained on, R13b raised no harmless turn
# that R11 did not, and read 14 more passive turns).
# Since round 78 (bench/risk78_rule.md) the e5 model is R16 alone: trained only on sets written by
# fresh hands, it read more risk than R11 and R13b together at as few false alarms on later sets.
ENSEMBLES = {"e5": ("e5c",), "gemma": ("gemma",)}
# The encoders whose shipped model also holds the lexical reader (`lexical.py`, rounds 80-84,
# bench/risk84_rule.md): it reads again every turn the heads read passive or higher.
WITH_LEXICAL = frozenset({"e5"})
# While a call has heard no more than distress, a turn the rules alone read passive or active is
# distress when the model reads it no higher than distress and the reader gives its words less than
# this P(level >= passive) (round 89, bench/risk89_rule.md: news of a stranger's suicide, a
# houseplant that "committed suicide", "kms" about homework, a counsellor's question). The rules'
# plan and imminent readings (a method, a place, means at hand) always stand. 0.1 on round 80's
# reader; the reader retrained in round 109 is sharper (temperature 0.75 against 0.85), and 0.03 is
# the bar under which it puts the same share of turns as the old reader put under 0.1 (on the
# spent heldout181-192 / everyday170-181; round 110, bench/risk110_rule.md).
RULES_VETO = 0.03
# The encoder each ensemble reads.
ENSEMBLE_ENCODER = {"e5": "e5", "e5b": "e5", "e5c": "e5", "e5d": "e5", "gemma": "gemma"}


def head_path(ensemble: str, seed: int = 15) -> Path:
    """Where the head of `ensemble` and `seed` ships: `head.npz` for e5's seed 15."""
    if ensemble == "e5" and seed == 15:
        return HEAD_FILE
    return HEAD_FILE.with_name(f"head_{ensemble}_s{seed}.npz")


def head_files(ensemble: str) -> list[Path]:
    """The shipped heads of an ensemble (several: its level is the median of theirs)."""
    return [head_path(ensemble, seed) for seed in SHIPPED_SEEDS[ensemble]]


CONTEXT_TURNS = 2  # earlier user turns averaged with the turn for the context embedding
# Once the call has reached passive, a turn is flagged at this share of the gate. It costs no
# false alarm: a harmless call is not yet at passive, and a call raised there in error already
# counts as one. It lets a plain "药我都攒好了" after "我不想活了" be heard (issue 15, point 3).
# Out of fold (6,126 turns) combined recall 88.0 → 88.5%, imminent ≥ plan 93.7 → 94.4%, false
# alarms 3.3% both; shares 0.7 and 0.3 scored 88.5% and 88.7%.
CONTEXT_GATE_SHARE = 0.5
# While a call has shown nothing (its level is none), the context may not lift a turn that its
# own words leave at distress or below by this many levels or more, unless the turn holds a
# word that keeps the context in play (`cues.py`): the turn keeps its own reading. Harmless
# calls about a fish, a sofa roped off a balcony, a game boss were read plan or imminent at a
# "thanks, I'll try it at the weekend" after them (rounds 63-64, bench/risk63_rule.md and
# risk64_rule.md; round 57's hold without the words delayed plans said after a harmless-looking
# question). The probabilities stay the context's, so a language model's second opinion may still
# be asked about such a turn, and may still raise it.
CONTEXT_LIFT = 2
# A turn the gate does not flag is still passive when P(level >= passive) reaches this many times
# the gate: a wish to be dead with no intent or plan is mostly passive to the heads but under
# the gate on P(level >= active), so it came out distress (118 of the 186 passive turns of
# heldout15-18, 43 of heldout20's 52). Chosen with R5's heads on the spent heldout19-20 and
# everyday8-9 (bench/risk_passive_bar.py; round 28, bench/risk28_rule.md): passive turns rated
# passive 16 -> 63 of 73, harmless 32 -> 33 of 1,398; 1.3 found 2 more and read 3 more of the
# old everyday lines as passive (companion talk: "should I text him first"), 1.5 found 4 fewer.
# Kept for R8's heads (round 33, bench/risk33_rule.md): on the spent heldout25 and everyday14
# (not R8's training data) 1.4 reads as many passive turns as 1.2 (44 of 48) and 1.5 fewer
# (40); at 1.2 R8 read a tired remark ("真的好累") as passive (round 32's suite failures).
# Fixed, not chosen, for R9 (round 34, bench/risk34_rule.md): every spent set is its training data.
PASSIVE_BAR = 1.4
Array = npt.NDArray[np.float32]
Pair = tuple[str, tuple[str, ...]]  # a turn, and the turns whose vectors make its context


@dataclass(frozen=True)
class Head:
    """The trained classifier: weights, input standardisation, temperature, thresholds."""

    weights: Array  # (HIDDEN, 6), or (2 * DIM, 6) without a hidden layer
    bias: Array  # (6,)
    mean: Array  # (2 * DIM,)
    scale: Array  # (2 * DIM,)
    temperature: float
    thresholds: Array  # (6,): P(level >= k) needed for level k; [0] unused
    meta: dict[str, Any]
    hidden: tuple[Array, Array] | None = None  # (2 * DIM, HIDDEN) weights and (HIDDEN,) bias
    gate: float = 0.0  # P(level >= active) that flags a turn; 0: the per-level thresholds
    # P(level >= passive) that makes a turn the gate does not flag passive; 0 (heads before
    # round 45): `PASSIVE_BAR` times the gate.
    passive: float = 0.0

    def save(self, path: Path) -> None:
        layers: dict[str, Any] = {} if self.hidden is None else {
            "hidden_weights": self.hidden[0].astype(np.float16), "hidden_bias": self.hidden[1]}
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=self.bias,
                            mean=self.mean, scale=self.scale,
                            temperature=np.float32(self.temperature),
                            thresholds=self.thresholds, gate=np.float32(self.gate),
                            passive=np.float32(self.passive), meta=json.dumps(self.meta),
                            **layers)

    @classmethod
    def load(cls, path: Path) -> Head:
        with np.load(path) as raw:
            hidden = None if "hidden_weights" not in raw.files else (
                raw["hidden_weights"].astype(np.float32), raw["hidden_bias"])
            return cls(weights=raw["weights"].astype(np.float32), bias=raw["bias"],
                       mean=raw["mean"], scale=raw["scale"],
                       temperature=float(raw["temperature"]),
                       thresholds=raw["thresholds"], meta=json.loads(str(raw["meta"])),
                       hidden=hidden,
                       gate=float(raw["gate"]) if "gate" in raw.files else 0.0,
                       passive=float(raw["passive"]) if "passive" in raw.files else 0.0)

    def logits(self, features: Array) -> Array:
        """(n, 6) uncalibrated scores for (n, 2 * DIM) features."""
        x: Array = ((features - self.mean) / self.scale).astype(np.float32)
        if self.hidden is not None:
            x = np.maximum(x @ self.hidden[0] + self.hidden[1], np.float32(0.0))
        out: Array = (x @ self.weights + self.bias).astype(np.float32)
        return out

    def probabilities(self, features: Array, temperature: float | None = None) -> Array:
        """(n, 6) calibrated level probabilities for (n, 2 * DIM) features."""
        logits = self.logits(features)
        return softmax(logits / (self.temperature if temperature is None else temperature))

    def decide(self, probabilities: Array, call: Level = Level.NONE) -> list[Level]:
        """Levels for rows of probabilities; `call`: the call's level before these turns."""
        at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]  # P(level >= k)
        if self.gate > 0:
            share = CONTEXT_GATE_SHARE if call >= Level.PASSIVE else 1.0
            return gated_levels(at_least, self.gate * share, float(self.thresholds[1]),
                                self.passive or self.gate * PASSIVE_BAR)
        reached = at_least >= self.thresholds
        reached[:, 0] = True
        return [Level(int(np.flatnonzero(row).max())) for row in reached]


def gated_levels(at_least: Array, gate: float, distress: float, passive: float = math.inf
                 ) -> list[Level]:
    """One bar decides whether a turn is flagged: P(level >= active) >= `gate`. A flagged turn
    gets the median of its risk levels (the highest k with P(level >= k | passive or higher)
    >= 1/2, at least passive); an unflagged one is passive when P(level >= passive) reaches
    `passive` (by default never), distress when P(level >= distress) reaches `distress`, else none.
    One quantile of harmless scores sets the gate, where per-level bars let a few confidently
    wrong harmless turns set the bar for each level alone."""
    risk = np.maximum(at_least[:, 2:3], np.float32(1e-9))
    median = np.where(at_least / risk >= 0.5, np.arange(6), 0).max(axis=1)
    levels = np.where(at_least[:, 3] >= gate, np.maximum(median, 2),
                      np.where(at_least[:, 2] >= passive, 2,
                               np.where(at_least[:, 1] >= distress, 1, 0)))
    return [Level(int(level)) for level in levels]


def softmax(logits: npt.NDArray[Any]) -> Array:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    out: Array = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


@dataclass(frozen=True, slots=True)
class ModelScore:
    level: Level
    probabilities: tuple[float, ...]  # P(none) … P(imminent)
    # The lexical reader's P(level >= passive) for the turn's words alone; 1.0 without a reader.
    words: float = 1.0

    @property
    def calm(self) -> bool:
        """The model reads the turn no higher than distress and its words as harmless
        (`RULES_VETO`): the rules' passive or active reading of it at a call's start is not
        taken (`RiskTracker`)."""
        return self.level <= Level.DISTRESS and self.words < RULES_VETO


def model_inputs(text: str, previous: Sequence[str]) -> Pair:
    """The turn and its context turns (the last `CONTEXT_TURNS` and itself), normalised as the
    rules read them (less the rules-only replacements); blank turns are no context."""
    normalise = default_assessor().normalise
    turn = normalise(text)
    context = tuple(normalise(t) for t in (*previous[-CONTEXT_TURNS:], text) if t.strip())
    return turn, context or (turn,)


def context_vector(vectors: Sequence[Array]) -> Array:
    """The context embedding: the unit-length mean of its turns' vectors."""
    mean = np.mean(np.stack(vectors), axis=0)
    out: Array = (mean / max(float(np.linalg.norm(mean)), 1e-9)).astype(np.float32)
    return out


class RiskModel:
    """Stateless and thread-safe; share one per process (`default_risk_model()`).

    With several heads (the same recipe, different seeds) each decides a turn's level as one
    head would, and an ensemble's level is their median: heads that differ only by seed catch
    very different shares of risk on a new set (bench/risk13_rule.md), and the median does not
    depend on one draw. With a second ensemble (`also`: heads of another recipe over the same
    vectors) the model's level is the higher of the two ensembles'."""

    def __init__(self, head: Head | Sequence[Head], encoder: Encoder,
                 also: Sequence[Head] = (), lexical: LexicalHead | None = None) -> None:
        self.heads = (head,) if isinstance(head, Head) else tuple(head)
        if not self.heads:
            raise ValueError("a risk model needs at least one head")
        self.ensembles = (self.heads, tuple(also)) if also else (self.heads,)
        self.lexical = lexical
        self._encode = encoder

    @property
    def head(self) -> Head:
        """The first head: its thresholds stand for the model's (the second opinion's bar)."""
        return self.heads[0]

    @classmethod
    def load(cls, path: Path | Sequence[Path] | None = None,
             encoder: Encoder | None = None) -> RiskModel:
        """The heads at `path` (one ensemble) over `encoder`; by default e5's shipped
        ensembles, all of their heads."""
        if path is None:
            return cls.shipped("e5", encoder or default_encoder())
        paths = [path] if isinstance(path, Path) else list(path)
        return cls([Head.load(p) for p in paths], encoder or default_encoder())

    @classmethod
    def shipped(cls, name: str, encoder: Encoder) -> RiskModel:
        """The shipped ensembles of the encoder called `name` (`ENSEMBLES`) over `encoder`."""
        from lingxi.safety.lexical import LexicalHead

        first, *second = ([Head.load(p) for p in head_files(ensemble)]
                          for ensemble in ENSEMBLES[name])
        lexical = LexicalHead.load() if name in WITH_LEXICAL else None
        return cls(first, encoder, second[0] if second else (), lexical)

    def features(self, pairs: Sequence[Pair],
                 known: MutableMapping[str, Array] | None = None) -> Array:
        """(n, 2 * DIM) features for (turn, context turns) pairs, the missing texts in one
        encoder batch. `known`: vectors already computed (a call's recent turns); the new
        ones are added to it."""
        known = {} if known is None else known
        texts = dict.fromkeys(t for turn, context in pairs for t in (turn, *context))
        missing = [t for t in texts if t not in known]
        if missing:
            known.update(zip(missing, self._encode(missing), strict=True))
        return np.stack([np.concatenate([known[turn], context_vector([known[t] for t in context])])
                         for turn, context in pairs])

    def score(self, text: str, previous: Sequence[str] = (),
              known: MutableMapping[str, Array] | None = None,
              call: Level = Level.NONE) -> ModelScore:
        """`known`: the call's own memory of its recent turns' vectors (see `RiskTracker`), so
        each turn is embedded once; it keeps only this turn's context. `call`: the call's
        level before this turn (from passive up, the gate is lower)."""
        pair = model_inputs(text, previous)
        features = self.features([pair], known)
        if known is not None:
            for stale in [t for t in known if t not in pair[1]]:
                del known[stale]
        each = [[head.probabilities(features) for head in heads] for heads in self.ensembles]
        # The reader reads the turn alone: one reading serves both of the heads' readings below.
        lexical = None if self.lexical is None else self.lexical.probabilities([pair[0]])
        words = TurnWords.of(text, pair[0])
        level = self._with_lexical(self._level(each, call), lexical, call, words)
        if call == Level.NONE and level >= Level.PASSIVE and len(pair[1]) > 1 and not words.cued:
            alone = self._with_lexical(self._level(
                [[head.probabilities(_alone(features)) for head in heads]
                 for heads in self.ensembles], call), lexical, call, words)
            if alone <= Level.DISTRESS and level - alone >= CONTEXT_LIFT:
                level = alone
        mean = np.mean(np.stack(each[0]), axis=0)  # the first ensemble's (the second opinion's)
        passive_words = 1.0 if lexical is None else float(lexical[0, Level.PASSIVE:].sum())
        return ModelScore(level, tuple(float(p) for p in mean[0]), passive_words)

    def _with_lexical(self, level: Level, lexical: Array | None, call: Level,
                      words: TurnWords) -> Level:
        """The heads' level, read again by the lexical reader (its probabilities for the turn)
        where the heads hear at least distress. Where they hear a passive wish or more: while
        the call has heard no more than distress, a turn whose words it finds harmless stays at
        distress (`TurnWords.veto`); otherwise it may raise the turn to the level its words say.
        Where they hear distress it may raise the turn only when sure (`TurnWords.sure`). Alone it
        read chores up high as emergencies (round 83), so it never raises a turn the heads find
        calm."""
        if self.lexical is None or lexical is None or level < Level.DISTRESS:
            return level
        if level == Level.DISTRESS:
            if float(lexical[0, Level.ACTIVE:].sum()) < words.sure:
                return level
        elif call <= Level.DISTRESS and float(lexical[0, Level.PASSIVE:].sum()) < words.veto(level):
            return Level.DISTRESS
        return max(level, self.lexical.decide(lexical, call)[0])

    def _level(self, each: Sequence[Sequence[Array]], call: Level) -> Level:
        """The model's level from each ensemble's heads' probabilities: the higher ensemble's."""
        return max(_median_level(heads, probabilities, call)
                   for heads, probabilities in zip(self.ensembles, each, strict=True))


def _alone(features: Array) -> Array:
    """The features of the turns read without their calls: each turn its own context."""
    turns = features[:, :features.shape[1] // 2]
    return np.concatenate([turns, np.stack([context_vector([t]) for t in turns])], axis=1)


def _median_level(heads: Sequence[Head], probabilities: Sequence[Array], call: Level) -> Level:
    """An ensemble's level for one turn: the (lower) median of its heads' levels."""
    levels = sorted(head.decide(p, call)[0] for head, p in zip(heads, probabilities, strict=True))
    return levels[(len(levels) - 1) // 2]


@functools.cache
def default_risk_model(encoder: str = "e5") -> RiskModel:
    """The shipped ensembles over the process's encoder of that name, loaded once per process."""
    return RiskModel.shipped(encoder, encoder_named(encoder))
