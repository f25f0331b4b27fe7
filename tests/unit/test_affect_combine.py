"""How the lexicon and the learned model share a turn's words (the logic, with made-up
readings), and the shared vectors that let the risk model and the text model embed a turn once
(with a counting fake encoder)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from lingxi.engines.affect.combine import Combination, combine
from lingxi.engines.affect.learned import Array, RecentVectors
from lingxi.engines.affect.words import WordFeeling, feeling_of

SAD_MODEL = {"neutral": 0.1, "happy": 0.02, "sad": 0.8, "angry": 0.03, "anxious": 0.02,
             "tired": 0.03}
RULE = Combination(strong=1.0, negation=True, least=0.4)


def test_a_strong_word_of_the_lexicon_stands_over_the_model() -> None:
    words = WordFeeling("angry", -0.7, 0.8, 1.5)
    assert combine(words, SAD_MODEL, RULE).label == "angry"


def test_a_denied_feeling_keeps_the_lexicons_reading() -> None:
    words = feeling_of("我一点都不难过")
    assert words.negated > 0
    assert combine(words, SAD_MODEL, RULE).label == "neutral"
    assert combine(words, SAD_MODEL, Combination(1.0, False, 0.4)).label == "sad"


def test_the_model_speaks_where_the_lexicon_is_silent_or_weak() -> None:
    heard = combine(WordFeeling("neutral", 0.0, 0.0, 0.0), SAD_MODEL, RULE)
    assert heard.label == "sad" and heard.valence < 0 and heard.arousal < 0
    assert combine(WordFeeling("happy", 0.4, 0.3, 0.6), SAD_MODEL, RULE).label == "sad"


def test_an_unsure_model_leaves_the_lexicons_label() -> None:
    unsure = {"neutral": 0.3, "happy": 0.05, "sad": 0.35, "angry": 0.1, "anxious": 0.1,
              "tired": 0.1}
    assert combine(WordFeeling("neutral", 0.0, 0.0, 0.0), unsure, RULE).label == "neutral"


def test_a_combination_survives_the_head_files_metadata() -> None:
    never = Combination(math.inf, True, 0.3)
    assert Combination.from_meta(never.to_meta()) == never
    assert Combination.from_meta(RULE.to_meta()) == RULE


class CountingEncoder:
    """A fake encoder: a fixed vector per text, counting what it was asked to embed."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: Sequence[str]) -> Array:
        self.asked.extend(texts)
        return np.asarray([[float(len(t)), 1.0] for t in texts], dtype=np.float32)


def test_two_readers_of_one_turn_embed_it_once() -> None:
    inner = CountingEncoder()
    shared = RecentVectors(inner, size=4)
    first = shared(["我好累", "我好累,今天加班"])  # the risk model: turn and context
    again = shared(["我好累"])  # the text-emotion model
    assert inner.asked == ["我好累", "我好累,今天加班"]
    assert np.array_equal(first[0], again[0]) and shared.hits == 1


def test_the_shared_vectors_are_bounded() -> None:
    inner = CountingEncoder()
    shared = RecentVectors(inner, size=2)
    shared(["a"])
    shared(["bb"])
    shared(["ccc"])
    shared(["a"])  # forgotten: embedded again
    assert inner.asked == ["a", "bb", "ccc", "a"]
    assert shared(np.array([], dtype=str).tolist()).shape[0] == 0
