"""Choosing the risk model's sentence encoder (e5 by default, EmbeddingGemma opt-in), the
heads shipped for each, and a model of several heads deciding by the median of their levels."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from lingxi import metrics
from lingxi.assemble import risk_model
from lingxi.safety import Level, RiskTracker
from lingxi.safety.encoder import (
    DIM,
    GEMMA_DIM,
    GEMMA_MAX_CHARS,
    GEMMA_PROMPT,
    CachingEncoder,
    E5Encoder,
    GemmaEncoder,
    Vectors,
    encoder_named,
)
from lingxi.safety.model import (
    ENSEMBLES,
    HEAD_FILE,
    SHIPPED_SEEDS,
    Head,
    RiskModel,
    head_files,
)
from lingxi.safety.train import data_digest
from tests.safety.calls import always_flagging
from tests.safety.test_risk_model import EncoderFake


def test_e5_is_the_default_and_each_encoder_has_three_heads() -> None:
    assert isinstance(encoder_named("e5"), E5Encoder)
    assert head_files("e5")[0] == HEAD_FILE and len(head_files("e5")) == 3
    assert len(head_files("gemma")) == len(SHIPPED_SEEDS["gemma"]) == 3


def test_the_server_runs_every_shipped_head_of_its_encoder() -> None:
    # The heads judged on a held-out set are the ones a call is assessed with (the server's
    # model once loaded only the first of e5's three).
    shipped = [Head.load(p).meta for name in ENSEMBLES["e5"] for p in head_files(name)]
    assert [h.meta for heads in risk_model().ensembles for h in heads] == shipped


def test_the_gemma_heads_were_trained_on_the_data_in_the_repository() -> None:
    heads = [Head.load(path) for path in head_files("gemma")]
    for head in heads:
        assert head.meta["data"] == data_digest("gemma"), \
            "retrain: lingxi.safety.train --encoder gemma"
        assert "EmbeddingGemma" in head.meta["encoder"]
        assert head.mean.shape == (2 * GEMMA_DIM,)  # the turn and its context
    assert len({float(h.gate) for h in heads}) == 3  # three different seeds, not one copied


def test_an_unknown_encoder_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="e5, gemma"):
        encoder_named("bert")


def test_gemma_never_prepared_says_how_to_prepare_it(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    encoder = GemmaEncoder(tmp_path / "absent.gguf")
    assert encoder([]).shape == (0, GEMMA_DIM)  # nothing to embed: nothing loaded
    with pytest.raises(FileNotFoundError, match="prepare_embeddinggemma"):
        encoder(["我今天有点累"])
    # Asked for at start-up, it stops the server with the same words, not at a first call.
    monkeypatch.setenv("LINGXI_EMBEDDINGGEMMA_GGUF", str(tmp_path / "absent.gguf"))
    with pytest.raises(FileNotFoundError, match="prepare_embeddinggemma"):
        risk_model("gemma")


def _never(head: Head) -> Head:
    """The head, with a gate no turn passes and no distress (it flags nothing)."""
    thresholds = np.array(head.thresholds, copy=True)
    thresholds[1] = 2.0
    return dataclasses.replace(head, gate=2.0, thresholds=thresholds)


def test_several_heads_decide_by_the_median_of_their_levels() -> None:
    head = Head.load(HEAD_FILE)
    text = "今天天气不错"
    flagging = always_flagging(head)
    most_flag = RiskModel([flagging, _never(head), flagging], EncoderFake())
    most_calm = RiskModel([_never(head), flagging, _never(head)], EncoderFake())
    assert most_flag.score(text).level >= Level.PASSIVE
    assert most_calm.score(text).level == Level.NONE
    one = RiskModel(head, EncoderFake()).score(text)
    three = RiskModel([head, head, head], EncoderFake()).score(text)
    assert three.level == one.level
    assert three.probabilities == pytest.approx(one.probabilities, abs=1e-6)


def test_a_call_over_several_heads_never_drops_its_level() -> None:
    head = Head.load(HEAD_FILE)
    flagging = always_flagging(head)
    tracker = RiskTracker(model=RiskModel([flagging, flagging, _never(head)],
                                          EncoderFake()))
    levels = [tracker.observe(text).call_level for text in ("你好", "今天吃了面条", "晚安")]
    assert levels == sorted(levels) and levels[0] >= Level.PASSIVE


def test_a_model_without_heads_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one head"):
        RiskModel([], EncoderFake())


class LlamaServerFake:
    """A fake llama.cpp embedding server: a window of 50 characters, and a vector per text
    that says how many characters it read."""

    def __init__(self) -> None:
        self.inputs: list[list[str]] = []

    def handle_embeddings(self, request: dict[str, list[str]]) -> dict[str, object]:
        texts = request["input"]
        self.inputs.append(texts)
        if any(len(text) > 50 for text in texts):
            return {"code": 500, "type": "server_error",
                    "message": "input (99 tokens) is too large to process"}
        return {"data": [{"index": i, "embedding": [float(len(t))] + [1.0] * (GEMMA_DIM - 1)}
                         for i, t in enumerate(texts)]}


def test_a_turn_too_long_for_gemma_is_read_from_its_start_not_dropped() -> None:
    server = LlamaServerFake()
    encoder = GemmaEncoder(server=server)
    vectors = encoder(["我很好", "我" * 2000])
    assert vectors.shape == (2, GEMMA_DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert max(len(t) for t in server.inputs[0]) <= len(GEMMA_PROMPT) + GEMMA_MAX_CHARS
    alone = [batch[0][len(GEMMA_PROMPT):] for batch in server.inputs[1:]]
    assert alone[0] == "我很好"  # the short turn read whole, on its own
    tries = [len(text) for text in alone[1:]]  # the long one, shorter until it fits
    assert tries == sorted(tries, reverse=True) and len(set(tries)) == len(tries)
    assert len(GEMMA_PROMPT) + tries[-1] <= 50 < len(GEMMA_PROMPT) + tries[-2]


def test_gemma_failing_otherwise_says_so() -> None:
    class Broken(LlamaServerFake):
        def handle_embeddings(self, request: dict[str, list[str]]) -> dict[str, object]:
            return {"code": 500, "message": "model crashed"}

    with pytest.raises(RuntimeError, match="model crashed"):
        GemmaEncoder(server=Broken())(["你好"])


def test_a_failing_risk_model_leaves_the_rules_to_judge_the_turn() -> None:
    def broken(texts: object) -> Vectors:
        raise RuntimeError("encoder crashed")

    metrics.forget_failures()
    tracker = RiskTracker(model=RiskModel(Head.load(HEAD_FILE), broken))
    rules = RiskTracker()
    words = ["今天好累", "我已经把一整瓶安眠药都吞下去了"]
    assert [tracker.observe(w).call_level for w in words] == \
        [rules.observe(w).call_level for w in words]
    assert tracker.level >= Level.PLAN
    assert metrics.recent_failures().get("risk_model") == 2


def test_the_vector_cache_keeps_new_vectors_and_writes_them_in_batches(tmp_path: Path) -> None:
    asked: list[list[str]] = []

    def encoder_fake(texts: Sequence[str]) -> Vectors:
        asked.append(list(texts))
        return np.full((len(texts), DIM), len(asked), np.float32)

    path = tmp_path / "vectors.npz"
    cache = CachingEncoder(encoder_fake, path)
    first = cache(["a"])
    assert np.array_equal(cache(["b", "a"])[1], first[0])  # "a" is not encoded again
    assert not path.exists()  # two new vectors do not rewrite the file
    cache.flush()
    again = CachingEncoder(encoder_fake, path)
    assert np.array_equal(again(["b"]), cache(["b"])) and asked == [["a"], ["b"]]
    again.FLUSH_EVERY = 2
    again(["c", "d"])  # the second new vector pending writes the file
    with np.load(path) as written:
        assert len(written["texts"]) == 4
