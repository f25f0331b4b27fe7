"""How the words feel: the lexicon with negation and intensifiers, and its accuracy on the
written zh/en sets (bench/data/affect)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingxi.engines.affect import feeling_of

DATA = Path(__file__).resolve().parents[2] / "bench" / "data" / "affect"


def lines(name: str) -> list[tuple[str, str]]:
    rows = (line.rstrip("\n").split("\t") for line in (DATA / name).read_text("utf-8")
            .splitlines() if line.strip() and not line.startswith("#"))
    return [(label, text) for label, text in rows]


def accuracy(name: str) -> float:
    rows = lines(name)
    return sum(feeling_of(text).label == label for label, text in rows) / len(rows)


@pytest.mark.parametrize(("text", "label"), [
    ("我考上研究生了！", "happy"), ("陪了我十年的老狗今天走了", "sad"),
    ("气死我了，他又迟到", "angry"), ("明天面试，好紧张", "anxious"), ("今天好累", "tired"),
    ("I'm so excited, we won!", "happy"), ("I'm exhausted", "tired"),
    ("帮我查一下明天的天气", "neutral"), ("What time is it?", "neutral"),
])
def test_the_words_name_the_feeling(text: str, label: str) -> None:
    assert feeling_of(text).label == label


@pytest.mark.parametrize(("text", "label"), [
    ("我不开心", "sad"), ("一点也不高兴", "sad"), ("I'm not happy", "sad"),
    ("我没生气", "neutral"), ("我不累", "neutral"), ("I'm not tired", "neutral"),
    ("I'm not worried at all", "neutral"),
])
def test_negation_turns_a_word_around(text: str, label: str) -> None:
    assert feeling_of(text).label == label


def test_negation_does_not_reach_across_a_comma() -> None:
    assert feeling_of("这次考试没有挂科，太好了").label == "happy"


def test_an_intensifier_makes_the_feeling_stronger() -> None:
    plain, strong = feeling_of("我开心"), feeling_of("我太开心了")
    assert strong.label == plain.label == "happy"
    assert strong.weight > plain.weight and strong.valence >= plain.valence
    assert feeling_of("累坏了").weight > feeling_of("累").weight


def test_english_words_match_whole_words_only() -> None:
    assert feeling_of("I'm mad at him").label == "angry"
    assert feeling_of("Madam, your table is ready").label == "neutral"  # not "mad" in "Madam"


def test_valence_and_arousal_follow_the_label() -> None:
    happy, sad, tired = feeling_of("太开心了"), feeling_of("好难过"), feeling_of("好困")
    assert happy.valence > 0 > sad.valence
    assert happy.arousal > 0 > tired.arousal


def test_the_written_sets_are_large_enough_and_well_formed() -> None:
    names = ("text_dev.tsv", "text_heldout.tsv", "text_unseen.tsv")
    rows = [row for name in names for row in lines(name)]
    assert len(rows) >= 100
    assert {label for label, _ in rows} == {"neutral", "happy", "sad", "angry", "anxious",
                                            "tired"}


def test_accuracy_on_the_written_sets() -> None:
    # The lexicon was tuned on dev; the unseen set was written after it was frozen and is a
    # floor against regressions (0.45 when written: unseen words mostly read as neutral).
    assert accuracy("text_dev.tsv") >= 0.9
    assert accuracy("text_unseen.tsv") >= 0.4
