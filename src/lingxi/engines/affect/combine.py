"""The words' feeling from the lexicon and the learned model together.

The lexicon is exact where it knows a strong word and where the words deny a feeling ("我一点
都不难过", "I'm not tired": the model reads the feeling word and misses the "not"); the model
generalises to wording no list holds. Which of the two speaks when is a `Combination`, chosen on
the training data's development split (train.py) and stored with the head.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from lingxi.engines.affect.learned import TextModel
from lingxi.engines.affect.words import CENTRES, WordFeeling, feeling_of


@dataclass(frozen=True, slots=True)
class Combination:
    # The lexicon's weight at which its label stands whatever the model says (inf: never).
    strong: float = 1.0
    # Words that deny a feeling keep the lexicon's reading (it handled the negation).
    negation: bool = True
    # Below this top probability the model is unsure: the lexicon's label (often neutral).
    least: float = 0.0

    def to_meta(self) -> dict[str, Any]:
        return {k: (None if v == math.inf else v) for k, v in asdict(self).items()}

    @classmethod
    def from_meta(cls, raw: Mapping[str, Any]) -> Combination:
        strong = raw.get("strong")
        return cls(math.inf if strong is None else float(strong), bool(raw["negation"]),
                   float(raw["least"]))


def combine(words: WordFeeling, scores: Mapping[str, float], rule: Combination) -> WordFeeling:
    """One feeling from the lexicon's reading and the model's label probabilities."""
    if words.label != "neutral" and words.weight >= rule.strong:
        return words
    if rule.negation and words.negated > 0:
        return words
    label, p = max(scores.items(), key=lambda kv: kv[1])
    if p < rule.least:
        return words
    if label == "neutral":
        return WordFeeling("neutral", 0.0, 0.0, p)
    valence, arousal = CENTRES[label]
    return WordFeeling(label, round(valence * p, 3), round(arousal * p, 3), p)


class TextFeeling:
    """Callable like `feeling_of` (text → WordFeeling), for `CallerAffect(words=...)`.
    Blocking when the turn is not yet embedded: call it in a worker."""

    def __init__(self, model: TextModel, rule: Combination | None = None) -> None:
        self.model = model
        self.rule = rule or Combination.from_meta(model.head.meta["combine"])

    def __call__(self, text: str) -> WordFeeling:
        words = feeling_of(text)
        if not text.strip():
            return words
        return combine(words, self.model.scores(text), self.rule)
