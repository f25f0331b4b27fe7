"""The learned risk model: its data, its shipped head, and what it adds to the rules."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from lingxi.safety import Level, RiskTracker, default_assessor
from lingxi.safety.augment import Noiser, expand_templates
from lingxi.safety.encoder import DIM, Vectors
from lingxi.safety.model import HEAD_FILE, Head, RiskModel, default_risk_model, head_files
from lingxi.safety.riskdata import (
    ENCODER_TRAIN_FILES,
    TRAIN_FILES,
    conversations,
    read_examples,
    read_training,
)
from lingxi.safety.train import data_digest
from tests.safety.heldouts import HELDOUTS, SHARED_BY_CHANCE

BENCH_DATA = Path(__file__).parents[2] / "bench" / "data"


@functools.cache
def _training_lines() -> frozenset[str]:
    """Every training line of every e5 ensemble and of the lexical reader, normalised (read once
    for all the sets)."""
    normalise = default_assessor().normalise
    files = dict.fromkeys(f for name in ("e5", "e5b", "e5c", "e5d", "lexical")
                          for f in ENCODER_TRAIN_FILES[name])
    return frozenset(normalise(e.text) for e in (*read_training(files=tuple(files)),
                                                  *expand_templates()))


@pytest.mark.parametrize("name", sorted(HELDOUTS))
def test_no_training_line_is_a_held_out_line(name: str) -> None:
    normalise = default_assessor().normalise
    held_out = {normalise(e.text) for e in read_examples(BENCH_DATA / name)}
    copied = sorted(held_out & _training_lines())
    assert copied == sorted(normalise(t) for t in SHARED_BY_CHANCE.get(name, []))
    assert len(held_out) >= HELDOUTS[name]


def test_the_spent_sets_are_trained_on_as_written_with_their_calls_named_by_set() -> None:
    from lingxi.safety.riskdata import (
        FOURTH_DEV_FILES,
        FOURTH_FILES,
        RISK_DIR,
        SPENT_FILES,
        THIRD_DEV_FILES,
        THIRD_FILES,
        everyday_file,
        spent_file,
    )
    from lingxi.safety.spend import training_name

    for number in range(1, 36):
        name = spent_file(number)
        source = BENCH_DATA / ("risk_heldout.txt" if number == 1 else f"risk_heldout{number}.txt")
        copied, original = read_examples(RISK_DIR / name), read_examples(source)
        assert [(e.level, e.kind, e.text) for e in copied] == [
            (e.level, e.kind, e.text) for e in original]
        assert [e.call for e in copied] == [
            e.call and f"{source.stem}:{e.call}" for e in original]
        assert name in ENCODER_TRAIN_FILES["e5b"]
        assert (name in ENCODER_TRAIN_FILES["e5"]) == (name in SPENT_FILES) == (number <= 28)
    for number in range(2, 25):
        copied = read_examples(RISK_DIR / everyday_file(number))
        original = read_examples(BENCH_DATA / f"risk_everyday{number}.txt")
        assert [(e.level, e.text) for e in copied] == [(e.level, e.text) for e in original]
        assert (everyday_file(number) in ENCODER_TRAIN_FILES["e5"]) == (number <= 17)
    assert set(ENCODER_TRAIN_FILES["e5"]) < set(ENCODER_TRAIN_FILES["e5b"])
    for spent in [*(BENCH_DATA / f"risk_heldout{n}.txt" for n in range(36, 109) if n != 66),
                  *(BENCH_DATA / f"risk_everyday{n}.txt" for n in range(25, 98) if n != 55)]:
        name = training_name(spent)
        copied, original = read_examples(RISK_DIR / name), read_examples(spent)
        assert [(e.level, e.kind, e.text) for e in copied] == [
            (e.level, e.kind, e.text) for e in original]
        assert (name in FOURTH_FILES) != (name in FOURTH_DEV_FILES)
        assert (name in FOURTH_FILES) == (name in THIRD_FILES or name in THIRD_DEV_FILES)
        assert name not in ENCODER_TRAIN_FILES["e5b"]
    assert set(ENCODER_TRAIN_FILES["e5c"]) == {*THIRD_FILES, *THIRD_DEV_FILES}
    assert set(ENCODER_TRAIN_FILES["e5d"]) == {*FOURTH_FILES, *FOURTH_DEV_FILES}
    kept_back = {spent_file(66), everyday_file(55)}
    assert not kept_back & {*ENCODER_TRAIN_FILES["e5c"], *ENCODER_TRAIN_FILES["e5d"],
                            *ENCODER_TRAIN_FILES["lexical"]}


def test_the_lexical_reader_trains_on_the_later_spent_sets_as_written() -> None:
    from lingxi.safety.riskdata import (
        FOURTH_DEV_FILES,
        FOURTH_FILES,
        LEXICAL_DEV_FILES,
        LEXICAL_FILES,
        RISK_DIR,
    )
    from lingxi.safety.spend import training_name

    for spent in [*(BENCH_DATA / f"risk_heldout{n}.txt" for n in range(109, 190)),
                  *(BENCH_DATA / f"risk_everyday{n}.txt" for n in range(98, 179))]:
        name = training_name(spent)
        copied, original = read_examples(RISK_DIR / name), read_examples(spent)
        assert [(e.level, e.kind, e.text) for e in copied] == [
            (e.level, e.kind, e.text) for e in original]
        assert (name in LEXICAL_FILES) != (name in LEXICAL_DEV_FILES)
        assert not any(name in ENCODER_TRAIN_FILES[e] for e in ("e5", "e5b", "e5c", "e5d"))
    assert {*FOURTH_FILES, *FOURTH_DEV_FILES} < set(LEXICAL_FILES)
    assert not set(LEXICAL_FILES) & set(LEXICAL_DEV_FILES)
    assert ENCODER_TRAIN_FILES["gemma"] == TRAIN_FILES  # the Gemma heads were not retrained


def test_the_training_data_covers_every_level_in_both_languages() -> None:
    examples = [*read_training(), *expand_templates()]
    for level in Level:
        langs = {e.lang for e in examples if e.level == level}
        assert langs == {"zh", "en"}, level
    assert any(len(call) > 2 for call in conversations(read_training()))


@pytest.mark.parametrize("ensemble", ["e5", "e5b", "e5c"])
def test_the_shipped_head_was_trained_on_the_data_in_the_repository(ensemble: str) -> None:
    heads = [Head.load(path) for path in head_files(ensemble)]
    for head, path in zip(heads, head_files(ensemble), strict=True):
        assert head.meta["data"] == data_digest(ensemble), \
            f"data changed: python -m lingxi.safety.train --encoder {ensemble}"
        assert path.stat().st_size < 500_000  # ships in the repository and the wheel
    assert len({float(h.gate) for h in heads}) == 3  # three different seeds, not one copied
    # R11's heads read passive at PASSIVE_BAR times the gate; R13b's and R16's each have a bar of
    # their own
    assert all((h.passive > 0) == (ensemble != "e5") for h in heads)


def test_recogniser_noise_keeps_the_words_and_drops_the_marks() -> None:
    variants = Noiser(seed=1).variants("我已经准备好药了，今晚就吃", count=2)
    assert variants
    for variant in variants:
        assert "，" not in variant or "藥" in variant  # unpunctuated, or Traditional script




def test_a_lone_first_sentence_at_the_place_is_an_emergency() -> None:
    tracker = RiskTracker(model=default_risk_model())
    assert tracker.observe("我现在就在天台边上，马上就跳下去了").call_level >= Level.PLAN


def test_a_wish_not_to_be_alive_is_passive_to_the_model_and_tiredness_or_longing_is_not(
        ) -> None:
    model = default_risk_model()
    for line in ("要是哪天睡着了再也醒不过来就好了",
                 "I sometimes think everyone would be better off if I wasn't around"):
        assert model.score(line).level >= Level.PASSIVE, line
    for line in ("我好累，什么都不想做", "I'm exhausted, this week has been a lot",
                 "你说我要不要主动给他打个电话",
                 "I kinda miss my old roommate, we used to cook together"):
        assert model.score(line).level < Level.PASSIVE, line


def test_ordinary_chat_stays_calm_with_the_model() -> None:
    tracker = RiskTracker(model=default_risk_model())
    for line in ("你好呀，今天过得怎么样", "给我讲个笑话", "what should I cook for dinner"):
        assert tracker.observe(line).call_level < Level.PASSIVE, line


def test_the_model_only_raises_and_the_call_level_never_drops() -> None:
    tracker = RiskTracker(model=default_risk_model())
    first = tracker.observe("I want to kill myself, I really do").call_level
    assert first >= Level.ACTIVE
    assert tracker.observe("haha just kidding, tell me a joke").call_level == first
    rules = default_assessor().assess("我不想活了").level
    assert RiskTracker(model=default_risk_model()).observe("我不想活了").turn.level >= rules


def test_model_reasons_name_the_model_and_never_the_words() -> None:
    text = "I took all of my sleeping pills twenty minutes ago"
    report = RiskTracker(model=default_risk_model()).observe(text)
    for reason in report.turn.reasons:
        assert "pills" not in reason.text


def test_a_sighting_on_the_way_cut_at_a_pause_is_not_an_attempt_but_the_way_to_a_bridge_is(
        ) -> None:
    # The duplex bench's "我刚才在路上看到|一只特别可爱的小狗": the pause ends the turn after
    # 看到, and the model alone read the half as an attempt under way (imminent).
    for half in ("我刚才在路上看到。", "我刚在路上看到", "我刚才在路上看到了"):
        tracker = RiskTracker(model=default_risk_model())
        assert tracker.observe(half).call_level == Level.NONE, half
        assert tracker.observe("一只特别可爱的小狗。").call_level == Level.NONE
    # On the way to a bridge is a place after talk of dying (alone it may be a commute: the
    # everyday training lines teach the model that "我已经在路上了" is nothing).
    on_the_way = RiskTracker(model=default_risk_model())
    on_the_way.observe("我真的不想活了")
    assert on_the_way.observe("我已经在去大桥的路上了").call_level >= Level.PLAN


def test_a_harmless_half_is_capped_alone_but_in_a_risky_call_the_model_reading_stands() -> None:
    anxious = RiskModel(rating((0.05, 0.05, 0.8, 0.05, 0.03, 0.02)), EncoderFake())
    assert RiskTracker(model=anxious).observe("我刚在路上看到").turn.level == Level.NONE
    after = RiskTracker(model=anxious)
    after.observe("我不想活了")
    assert after.observe("我刚在路上看到").turn.level >= Level.PASSIVE


def test_the_gate_flags_on_active_or_higher_and_names_the_median_risk_level() -> None:
    import numpy as np

    from lingxi.safety.model import gated_levels

    probabilities = np.asarray([[0.9, 0.05, 0.03, 0.01, 0.01, 0.0],  # calm
                                [0.3, 0.6, 0.05, 0.03, 0.02, 0.0],  # distress only
                                [0.05, 0.0, 0.05, 0.3, 0.3, 0.3],  # flagged: median plan
                                [0.0, 0.0, 0.02, 0.02, 0.06, 0.9],  # flagged: imminent
                                [0.02, 0.02, 0.9, 0.06, 0.0, 0.0]],  # passive, under the gate
                               dtype=np.float32)
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    assert gated_levels(at_least, gate=0.5, distress=0.6) == [
        Level.NONE, Level.DISTRESS, Level.PLAN, Level.IMMINENT, Level.DISTRESS]


def test_a_wish_to_be_dead_under_the_gate_is_passive_when_its_own_bar_is_reached() -> None:
    import numpy as np

    from lingxi.safety.model import gated_levels

    probabilities = np.asarray([[0.3, 0.6, 0.05, 0.03, 0.02, 0.0],  # distress only
                                [0.02, 0.02, 0.9, 0.06, 0.0, 0.0],  # passive, under the gate
                                [0.05, 0.3, 0.6, 0.05, 0.0, 0.0],  # passive, under its bar
                                [0.0, 0.0, 0.02, 0.02, 0.06, 0.9]],  # flagged: imminent
                               dtype=np.float32)
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    assert gated_levels(at_least, gate=0.5, distress=0.6, passive=0.8) == [
        Level.DISTRESS, Level.PASSIVE, Level.DISTRESS, Level.IMMINENT]


def test_a_heads_own_passive_bar_adds_at_most_its_share_of_harmless_turns_and_is_read(
        ) -> None:
    from dataclasses import replace

    from lingxi.safety.model import PASSIVE_BAR
    from lingxi.safety.train import PASSIVE_ALARMS, fit_gate, fit_passive_bar

    rng = np.random.default_rng(2)
    probabilities = rng.dirichlet(np.ones(6), size=2000).astype(np.float32)
    labels = rng.integers(0, 6, size=2000)
    gate, _ = fit_gate(probabilities, labels)
    bar = fit_passive_bar(probabilities, labels, gate)
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    added = (at_least[:, 2] >= bar) & (at_least[:, 3] < gate) & (labels == 0)
    assert 0 < added.sum() <= PASSIVE_ALARMS * np.sum(labels == 0) and bar > gate
    # The head reads its own bar; an older head (passive 0) reads PASSIVE_BAR times its gate.
    head = default_risk_model().head
    row = np.asarray([[0.0, 0.1, 0.85, 0.05, 0.0, 0.0]], dtype=np.float32)  # P(>= passive) 0.9
    assert replace(head, gate=0.5, passive=0.95).decide(row) == [Level.DISTRESS]
    assert replace(head, gate=0.5, passive=0.85).decide(row) == [Level.PASSIVE]
    assert replace(head, gate=0.85 / PASSIVE_BAR, passive=0.0).decide(row) == [Level.PASSIVE]
    assert replace(head, gate=0.95 / PASSIVE_BAR, passive=0.0).decide(row) == [Level.DISTRESS]


def test_the_gate_is_one_quantile_of_harmless_scores_and_every_risk_level_reads_it() -> None:
    import numpy as np

    from lingxi.safety.train import GATE_ALARMS, fit_gate

    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(6), size=1000).astype(np.float32)
    labels = rng.integers(0, 6, size=1000)
    gate, thresholds = fit_gate(probabilities, labels)
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    assert np.mean(at_least[labels == 0, 3] >= gate) <= GATE_ALARMS
    assert list(thresholds[2:]) == [gate] * 4 and 0 < thresholds[1] < 1


def test_training_writes_a_head_and_its_development_predictions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from lingxi.safety import fitting, train
    from lingxi.safety.model import Head
    from lingxi.safety.riskdata import Example
    from lingxi.safety.train import Corpus

    def fake_encoder(texts: Sequence[str]) -> Vectors:  # a fake: vectors from a hash of the text
        seeds = [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) for t in texts]
        return np.stack([np.random.default_rng(s).standard_normal(DIM) for s in seeds]
                        ).astype(np.float32)

    lines = [Example(Level(i % 6), "k", f"line {i}") for i in range(60)]
    call = [Example(Level.NONE, "k", f"turn {i}", "c") for i in range(3)]
    folds = tuple([[e] for e in lines[f::5]] + ([call] if f == 0 else []) for f in range(5))
    monkeypatch.setattr(train, "corpus", lambda **_: Corpus(folds, []))
    monkeypatch.setattr(train, "cached_encoder", lambda _name: fake_encoder)
    monkeypatch.setattr(train, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(fitting, "STEPS", 5)
    for ensemble in ("e5", "e5b"):
        head = train.train(tmp_path / f"head_{ensemble}.npz", ensemble)
        saved = np.load(tmp_path / f"risk_development_head_{ensemble}.npz")
        saved_head = Head.load(tmp_path / f"head_{ensemble}.npz")
        assert saved_head.gate == pytest.approx(head.gate) and head.gate > 0
        assert saved_head.passive == pytest.approx(head.passive)
        # only the second ensemble fits a passive bar of its own
        assert (head.passive > 0) == (ensemble == "e5b")
        assert len(saved["labels"]) == 63
        assert saved["probabilities"].shape == (63, 6)


def test_after_passive_a_turn_needs_a_lower_gate_than_at_a_calls_start() -> None:
    from dataclasses import replace

    from lingxi.safety.model import CONTEXT_GATE_SHARE

    head = rating((0.3, 0.1, 0.1, 0.3, 0.1, 0.1))  # P(level >= active) = 0.5
    gated = RiskModel(replace(head, gate=0.5 / (CONTEXT_GATE_SHARE + 0.1)), EncoderFake())
    assert RiskTracker(model=gated).observe("那就这样吧").turn.level == Level.DISTRESS
    after = RiskTracker(model=gated)
    assert after.observe("我不想活了").call_level == Level.PASSIVE
    assert after.observe("那就这样吧").turn.level == Level.ACTIVE


def test_a_joking_threat_alone_is_not_raised_by_the_model_but_after_risk_it_is_read() -> None:
    joke = "if the bus is late again I'm jumping off a bridge lol"
    assert RiskTracker(model=default_risk_model()).observe(joke).call_level < Level.PASSIVE
    tracker = RiskTracker(model=default_risk_model())
    tracker.observe("I don't want to be alive anymore")
    assert tracker.observe(joke).call_level >= Level.PASSIVE


class EncoderFake:
    """A fake encoder: a fixed pseudo-random unit vector per text; it records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: Sequence[str]) -> Vectors:
        self.asked.extend(texts)
        rows = [np.random.default_rng(zlib.crc32(t.encode())).standard_normal(DIM) for t in texts]
        return np.stack([r / np.linalg.norm(r) for r in rows]).astype(np.float32)


def test_either_ensemble_may_raise_a_turn_and_the_second_opinion_reads_the_first() -> None:
    from dataclasses import replace

    from lingxi.safety.encoder import default_encoder

    # The shipped model is one ensemble since round 78; two are built here from R11 and R13b.
    model = RiskModel([Head.load(p) for p in head_files("e5")], default_encoder(),
                      [Head.load(p) for p in head_files("e5b")])
    assert len(model.ensembles) == 2 and model.ensembles[0] == model.heads
    first = RiskModel(model.heads, default_encoder())
    second = RiskModel(model.ensembles[1], default_encoder())
    turns = [("帮我定个明早七点的闹钟", ()), ("有时候觉得我不在了大家会轻松点", ()),
             ("药我都攒好了，今晚就吃", ("我不想活了",)), ("what time is it in tokyo", ()),
             ("i keep thinking everyone would be better off without me", ("long week",))]
    for text, previous in turns:
        both = model.score(text, previous)
        assert both.level == max(first.score(text, previous).level,
                                 second.score(text, previous).level)
        assert both.probabilities == first.score(text, previous).probabilities
    # An ensemble that flags nothing leaves the other's reading standing, in either place.
    deaf = [replace(head, gate=2.0, passive=2.0) for head in model.heads]
    plan = ("药我都攒好了，今晚就吃", ("我不想活了",))
    assert second.score(*plan).level >= Level.PLAN
    assert RiskModel(deaf, default_encoder(), model.ensembles[1]).score(*plan).level == \
        second.score(*plan).level
    assert RiskModel(model.heads, default_encoder(), deaf).score(*plan).level == \
        first.score(*plan).level


def test_each_turn_of_a_call_is_embedded_once_and_scores_as_if_read_afresh() -> None:
    encoder = EncoderFake()
    tracker = RiskTracker(model=RiskModel(Head.load(HEAD_FILE), encoder))
    afresh = RiskModel(Head.load(HEAD_FILE), EncoderFake())  # no memory: embeds every context
    turns = ["最近睡不好", "工作也不顺", "I just feel empty", "我不想活了", "药我都攒好了"]
    for index, text in enumerate(turns):
        report = tracker.observe(text)
        assert report.model is not None
        expected = afresh.score(text, turns[:index]).probabilities
        assert report.model.probabilities == pytest.approx(expected, abs=1e-6)
    normalise = default_assessor().normalise
    assert sorted(encoder.asked) == sorted(normalise(t) for t in turns)


def rating(probabilities: Sequence[float]) -> Head:
    """A head that rates every turn with these probabilities, whatever its vectors."""
    return Head(weights=np.zeros((2 * DIM, 6), np.float32),
                bias=np.log(np.array(probabilities, np.float32)),
                mean=np.zeros(2 * DIM, np.float32), scale=np.ones(2 * DIM, np.float32),
                temperature=1.0, thresholds=np.array((0, 0.3, 0.3, 0.3, 0.3, 0.3), np.float32),
                meta={})


def test_extra_training_files_keep_their_calls_apart_and_leave_the_shipped_folds_as_they_were(
        tmp_path: Path) -> None:
    from lingxi.safety.train import corpus, extra_calls

    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("# a set\n@c01 distress | context | 最近很累\n"
                     "@c01 passive | context | 不想醒来\nnone | chat | 今天吃面\n",
                     encoding="utf-8")
    second.write_text("@c01 none | chat | what's for dinner\n", encoding="utf-8")
    calls = extra_calls([first, second])
    assert [[t.text for t in call] for call in calls] == [
        ["最近很累", "不想醒来"], ["今天吃面"], ["what's for dinner"]]
    assert [call[0].call for call in calls] == ["first:c01", None, "second:c01"]
    shipped, more = corpus(), corpus(extra=[first, second])
    for before, after in zip(shipped.folds, more.folds, strict=True):
        assert after[:len(before)] == before
    added = sum(len(a) - len(b) for a, b in zip(more.folds, shipped.folds, strict=True))
    assert added == 3 * len(calls)  # each call as written and two noise variants of it


def test_training_on_extra_files_never_overwrites_a_shipped_head() -> None:
    from lingxi.safety.train import main

    with pytest.raises(SystemExit):
        main(["--extra", "more.txt"])
    with pytest.raises(SystemExit):
        main(["--extra", "more.txt", "--out", "head.npz"])  # --out needs --seed
