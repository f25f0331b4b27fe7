"""The lexical reader of risk (rounds 80-83): n-grams of the turn, one layer, heard beside R16."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lingxi.safety import RiskTracker
from lingxi.safety.levels import Level
from lingxi.safety.lexical import (
    BUCKETS,
    LEXICAL_FILE,
    LexicalHead,
    bucket_ids,
    grams,
    logits_of,
)
from lingxi.safety.lexical_train import BUDGETS, development, fit_layer
from lingxi.safety.model import RiskModel, default_risk_model
from lingxi.safety.train import data_digest
from tests.safety.test_risk_model import EncoderFake, rating


def test_han_text_reads_as_character_grams_and_latin_as_words_and_pairs() -> None:
    names = grams("我想死 Tying the knot")
    assert {"tc死", "tc想死", "tc我想死", "twknot", "twtying", "tbtying_the", "tbthe_knot"} <= names
    assert not any(" " in name for name in names)  # no gram runs across the space
    assert bucket_ids("我想死").tolist() == bucket_ids("我想死").tolist()  # the same rows each time
    assert all(0 <= i < BUCKETS for i in bucket_ids("tying the knot").tolist())


def _fake_head() -> LexicalHead:
    """A layer trained on a handful of fake lines: risk said with 桥 and 告别, chores without."""
    risky = ["我明天去桥上告别", "今晚去桥上 跟大家告别", "桥上见 这是告别", "告别信写好了 去桥上"]
    calm = ["明天去超市买菜", "今晚吃饺子", "周末去公园散步", "我在洗衣服", "下午开会",
            "晚上看电视", "早上跑步了", "给妈妈打电话"]
    y = np.asarray([4] * len(risky) + [0] * len(calm), np.int64)
    rows = [bucket_ids(text) for text in (*risky, *calm)]
    weights, bias = fit_layer(rows, y, seed=1)
    head = LexicalHead(weights, bias, 1.0, 0.0, 0.0, {})
    return development(head, y, logits_of(weights, bias, rows), (0.0, 0.0))


def test_a_trained_layer_flags_the_words_risk_was_said_in_and_not_chores() -> None:
    head = _fake_head()
    assert head.level("他们去桥上告别了") >= Level.ACTIVE
    assert head.level("我去超市买菜") == Level.NONE  # never distress: it speaks only of risk


def test_the_bars_round_trip_through_the_file(tmp_path: Path) -> None:
    head = _fake_head()
    path = tmp_path / "lexical.npz"
    head.save(path)
    again = LexicalHead.load(path)
    assert np.allclose([again.gate, again.passive, again.temperature],
                       [head.gate, head.passive, head.temperature])
    assert again.level("我明天去桥上告别") == head.level("我明天去桥上告别")


def test_the_shipped_reader_was_trained_on_the_data_in_the_repository() -> None:
    head = LexicalHead.load()
    assert head.meta["data"] == data_digest("lexical"), \
        "data changed: python -m lingxi.safety.lexical_train"
    assert head.meta["budgets"] == list(BUDGETS)
    assert head.weights.shape == (BUCKETS, 6)
    assert LEXICAL_FILE.stat().st_size < 2_000_000  # ships in the repository and the wheel


def test_the_reader_raises_only_what_the_heads_already_hear() -> None:
    # A fake reader that calls every turn imminent, beside fake heads reading a fixed level.
    loud = LexicalHead(np.zeros((BUCKETS, 6), np.float32),
                       np.asarray([0, 0, 0, 0, 0, 9], np.float32), 1.0, 0.5, 0.5, {})
    passive = (0.05, 0.05, 0.8, 0.05, 0.03, 0.02)
    heard = RiskModel(rating(passive), EncoderFake(), lexical=loud)
    assert heard.score("药我都攒好了").level == Level.IMMINENT
    calm = RiskModel(rating((0.9, 0.05, 0.02, 0.01, 0.01, 0.01)), EncoderFake(), lexical=loud)
    assert calm.score("我爸坐在天台上乘凉").level < Level.PASSIVE


def test_where_the_heads_hear_distress_only_a_sure_reader_raises() -> None:
    # Fake heads reading distress, beside a fake reader sure of imminent and one that is not.
    distress = (0.1, 0.8, 0.05, 0.03, 0.01, 0.01)
    sure = LexicalHead(np.zeros((BUCKETS, 6), np.float32),
                       np.asarray([0, 0, 0, 0, 0, 9], np.float32), 1.0, 0.5, 0.5, {})
    heard = RiskModel(rating(distress), EncoderFake(), lexical=sure)
    assert heard.score("炭已经点上了 窗户都封好了").level == Level.IMMINENT
    # P(level >= active) = 0.6: below the bar, the heads' distress stands.
    unsure = LexicalHead(np.zeros((BUCKETS, 6), np.float32),
                         np.log(np.asarray([0.3, 0.05, 0.05, 0.1, 0.1, 0.4], np.float32)),
                         1.0, 0.3, 0.3, {})
    doubt = RiskModel(rating(distress), EncoderFake(), lexical=unsure)
    assert doubt.score("我在宿舍").level == Level.DISTRESS


def test_until_a_call_shows_risk_words_the_reader_finds_harmless_keep_a_heads_reading_at_distress(
        ) -> None:
    # A fake reader sure that every turn is harmless, beside fake heads reading passive.
    calm = LexicalHead(np.zeros((BUCKETS, 6), np.float32),
                       np.asarray([9, 0, 0, 0, 0, 0], np.float32), 1.0, 0.5, 0.5, {})
    passive = (0.05, 0.05, 0.8, 0.05, 0.03, 0.02)
    model = RiskModel(rating(passive), EncoderFake(), lexical=calm)
    assert model.score("我的世界里从塔上跳下来没死").level == Level.DISTRESS
    # After distress too (round 86): a crab steamed after "先弄死再蒸" is still cooking.
    assert model.score("蒸多少分钟 我怕不熟", call=Level.DISTRESS).level == Level.DISTRESS
    # Once the call has shown risk, the heads' reading stands: a veto never lowers a call's turn.
    assert model.score("我的世界里从塔上跳下来没死", call=Level.PASSIVE).level >= Level.PASSIVE


def test_a_turn_that_holds_a_word_of_risk_needs_a_surer_reader_to_stay_at_distress() -> None:
    # A fake reader that gives every turn P(level >= passive) = 0.02: below the bar for a turn
    # without a cue word, above the bar for one with a word of risk in it (slang included).
    unsure = LexicalHead(np.zeros((BUCKETS, 6), np.float32),
                         np.log(np.asarray([0.97, 0.01, 0.005, 0.005, 0.005, 0.005], np.float32)),
                         1.0, 0.99, 0.99, {})
    active = (0.03, 0.03, 0.04, 0.8, 0.05, 0.05)
    model = RiskModel(rating(active), EncoderFake(), lexical=unsure)
    assert model.score("我刚泡了一壶普洱").level == Level.DISTRESS
    for cued in ("紫砂的方法哪个最不疼", "kms fr", "我想从桥上下去"):
        assert model.score(cued).level >= Level.PASSIVE, cued
    # Where the heads hear only a passive wish, plain words of death do not keep the strict bar
    # (hyperbole, round 90); slang for suicide does.
    passive = (0.05, 0.05, 0.8, 0.05, 0.03, 0.02)
    wish = RiskModel(rating(passive), EncoderFake(), lexical=unsure)
    assert wish.score("这道题难到我想死").level == Level.DISTRESS
    for slang in ("紫砂的方法哪个最不疼", "kms fr"):
        assert wish.score(slang).level >= Level.PASSIVE, slang


def test_the_shipped_model_holds_the_reader_and_chores_up_high_stay_calm() -> None:
    model = default_risk_model()
    assert model.lexical is not None
    tracker = RiskTracker(model=model)
    first = tracker.observe("我真的不想活了 药我都换成一整瓶了 今晚就全吃了").call_level
    assert first >= Level.PLAN
    assert tracker.observe("没事 你别担心").call_level >= first  # the call level never drops
    for line in ("我儿子站在窗台上擦玻璃", "I tied the boat to the dock and went home"):
        assert RiskTracker(model=model).observe(line).call_level < Level.PASSIVE, line
