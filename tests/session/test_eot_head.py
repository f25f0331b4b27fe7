"""The shipped end-of-turn head (real e5 vectors): whole utterances read as more finished
than the same words cut off mid-sentence, and the file round-trips."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lingxi.assemble import eot_reader
from lingxi.session.eot_head import EotHead, FinishedReader

# Written for this test (in no training file): a whole utterance and where a caller might
# pause in it. Only the kinds the head is asked about: no question, particle or comma.
PAIRS = [
    ("我明天要去银行办卡。", "我明天要去"),
    ("我妹妹下个月结婚。", "我妹妹下个月"),
    ("我们小区门口新开了一家书店。", "我们小区门口新开的"),
    ("我最近每天晚上都去跑步。", "我最近每天晚上都"),
    ("我想给我妈买一条围巾。", "我想给我妈买"),
    ("我的同桌昨天转学走了。", "我的同桌"),
    ("老板让我周六加班。", "老板让我"),
    ("我在地铁上睡着了。", "我在地铁上"),
    ("my brother bought a new car", "my brother bought a"),
    ("we watched the game at my uncle's house", "we watched the game at my"),
    ("i finally finished painting the fence", "i finally finished painting the"),
    ("my neighbour's dog barked all night", "my neighbour's dog"),
]


def test_whole_utterances_read_as_more_finished_than_their_cut_beginnings() -> None:
    reader = eot_reader(False)
    whole = np.array([reader.finished(w) for w, _ in PAIRS])
    cut = np.array([reader.finished(c) for _, c in PAIRS])
    assert ((whole - cut) > 0).mean() >= 0.75
    assert whole.mean() - cut.mean() >= 0.2


def test_a_saved_head_reads_the_same(tmp_path: Path) -> None:
    head = eot_reader(False).head
    head.save(tmp_path / "head.npz")
    again = EotHead.load(tmp_path / "head.npz")
    assert np.array_equal(eot_reader(False, tmp_path / "head.npz").head.weights, again.weights)
    x = np.random.default_rng(0).normal(size=(3, head.weights.shape[0])).astype(np.float32)
    assert np.allclose(head.probability(x), again.probability(x))


def test_the_training_examples_are_reproducible_balanced_and_left_open() -> None:
    from lingxi.session.eot_train import examples
    from lingxi.session.turns import left_open

    texts, labels = examples(seed=0)
    assert (texts, labels) == examples(seed=0)
    assert len(texts) > 2000 and sum(labels) * 2 == len(labels)
    assert all(left_open(t) for t in texts[::50])


def test_the_cut_examples_match_the_wholes_in_length_per_language() -> None:
    """The shipped head learned that short means unfinished ("你在哪里。" 0.07): its cuts are
    shorter than its wholes. `matched`: each language's cuts as long as its wholes, bin by bin."""
    from collections import Counter

    from lingxi.session.eot_train import _bin, examples, length
    from lingxi.text import has_han

    texts, labels = examples(seed=0, matched=True)
    counts = [Counter((has_han(t), _bin(length(t))) for t, y in zip(texts, labels, strict=True)
                      if y == label) for label in (1, 0)]
    assert counts[0] == counts[1]
    assert {zh for zh, _ in counts[0]} == {True, False}
    old_texts, old_labels = examples(seed=0, matched=False)
    old_cut = np.mean([length(t) for t, y in zip(old_texts, old_labels, strict=True) if y == 0])
    new_cut = np.mean([length(t) for t, y in zip(texts, labels, strict=True) if y == 0])
    assert new_cut > old_cut + 2


class CountingEncoderFake:
    """An encoder fake: a fixed vector per text, and which texts it was asked to embed."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.asked += texts
        return np.stack([np.full(4, float(len(t)), dtype=np.float32) for t in texts]) \
            if texts else np.zeros((0, 4), dtype=np.float32)


def test_the_reading_leaves_safetys_form_of_the_words_ready() -> None:
    from lingxi.engines.affect.learned import RecentVectors
    from lingxi.safety.assess import default_assessor

    inner = CountingEncoderFake()
    shared = RecentVectors(inner)
    head = EotHead(np.zeros(4, dtype=np.float32), 0.0, np.zeros(4, dtype=np.float32), 1.0)
    normalise = default_assessor().normalise
    reader = FinishedReader(head, shared, ahead=normalise)
    assert reader.finished("我那个同事。") == 0.5
    asked = list(inner.asked)
    shared([normalise("我那个同事。")])  # what the risk model asks when the turn ends
    assert inner.asked == asked and normalise("我那个同事。") in asked
