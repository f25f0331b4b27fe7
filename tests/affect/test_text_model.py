"""The learned text-emotion model with the lexicon, for real (the e5 encoder and the shipped
head): clear lines land in their feeling, denied feelings stay denied, a call hears wording no
lexicon holds, and no line of the bench sets is trained on."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pytest

from lingxi.assemble import text_feeling
from lingxi.engines.affect import CallerAffect
from lingxi.engines.affect.textdata import read_lines
from lingxi.engines.affect.train import corpus, data_digest
from lingxi.engines.fake import SpeechScript
from lingxi.session.call import CallSettings
from tests.affect.test_affect_in_calls import spoken_call

BENCH = Path(__file__).resolve().parents[2] / "bench" / "data" / "affect"
# Feelings a listener would not hold against a near miss (a tired caller read as sad is still
# a caller to answer gently; an angry one read as anxious still needs calm).
FAMILY = {"happy": {"happy"}, "neutral": {"neutral"}, "sad": {"sad", "tired"},
          "tired": {"tired", "sad"}, "angry": {"angry", "anxious"},
          "anxious": {"anxious", "angry"}}


@pytest.mark.parametrize(("text", "label"), [
    ("我儿子今天结婚 我太高兴了", "happy"), ("we just won the lottery!!", "happy"),
    ("我爷爷昨天走了 我一直在哭", "sad"), ("i feel so lonely since she left", "sad"),
    ("你们这是欺负人 太气人了", "angry"), ("this is the worst service ever, I'm furious", "angry"),
    ("明天做手术 我好害怕", "anxious"), ("I'm so nervous about my exam tomorrow", "anxious"),
    ("连着加了三天班 我累得不行了", "tired"), ("I'm exhausted, I need to sleep", "tired"),
    ("明天早上八点提醒我开会", "neutral"), ("what's the capital of france", "neutral"),
    # As a recogniser hands them over: no marks, Traditional script, mixed languages.
    ("我們家的狗狗生了四隻小狗 好可愛好開心", "happy"), ("呃 上周我外婆走了 我还是缓不过来", "sad"),
    ("他们又把我的订单搞错了 真的烦死了", "angry"), ("下午要present 我好紧张 手都凉了", "anxious"),
    ("um so tired i can barely think", "tired"), ("我在等外卖 你随便聊点什么吧", "neutral"),
])
def test_clear_lines_land_in_their_feeling(text: str, label: str) -> None:
    assert text_feeling()(text).label in FAMILY[label]


@pytest.mark.parametrize("text", ["我一点都不生气，你说吧", "I'm not tired at all", "我没有难过"])
def test_a_denied_feeling_is_not_heard(text: str) -> None:
    assert text_feeling()(text).label == "neutral"


def test_a_reader_with_the_model_reads_the_words_without_a_voice() -> None:
    affect = CallerAffect(words=text_feeling()).read("外婆上个月去世了 家里空荡荡的")
    assert affect.label in FAMILY["sad"] and affect.valence < 0


async def test_a_call_hears_sadness_in_words_the_lexicon_does_not_hold() -> None:
    said = "一个人守着空房子过年"
    settings = CallSettings(duties=False, affect=functools.partial(
        CallerAffect, words=text_feeling()))
    h = await spoken_call(SpeechScript().say(0.5, 2.5, said), settings)
    assert h.first("lingxi.input.affect").event["label"] in FAMILY["sad"]
    assert h.responder.calls[0].affect_note  # the brain is told how the caller sounds


def _plain(text: str) -> str:
    """A line as the model reads it, less what a recogniser changes: case, marks, spaces."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def test_no_bench_line_is_in_the_training_data() -> None:
    data = corpus()
    trained = {_plain(x.text) for x in data.training()}
    for name in ("text_heldout2.tsv", "text_unseen.tsv", "text_heldout.tsv", "text_dev.tsv"):
        leaked = [x.text for x in read_lines(BENCH / name) if _plain(x.text) in trained]
        assert leaked == [], name


def test_the_shipped_head_was_trained_on_the_data_in_the_repository() -> None:
    assert text_feeling().model.head.meta["data"] == data_digest()
