from __future__ import annotations

import pytest

from lingxi.session.turns import semantic_silence_ms
from lingxi.skills.sing.library import library
from lingxi.text import ClauseSplitter, count_english_syllables, english_syllables


def split(tokens: list[str]) -> list[str]:
    s = ClauseSplitter()
    out: list[str] = []
    for t in tokens:
        out.extend(s.push(t))
    rest = s.flush()
    return out + ([rest] if rest else [])


def test_first_clause_is_ready_as_soon_as_its_punctuation_arrives() -> None:
    s = ClauseSplitter()
    assert s.push("你好") == []
    assert s.push("，我") == ["你好，"]
    assert s.push("是灵犀。今天") == ["我是灵犀。"]
    assert s.flush() == "今天"


def test_clauses_join_back_to_the_original_text() -> None:
    text = "Hello there. It is 3.5 degrees, isn't it? 好的！走吧"
    tokens = [text[i : i + 3] for i in range(0, len(text), 3)]
    clauses = split(tokens)
    assert "".join(clauses) == text
    assert clauses[0] == "Hello there. "
    assert any("3.5 degrees," in c for c in clauses)  # a decimal point does not cut


def test_times_and_thousands_are_not_cut_apart() -> None:
    text = "我们12:30见，带上1,000元。Meet at 9:05, ok? 时间12：30。好"
    tokens = [text[i : i + 2] for i in range(0, len(text), 2)]
    assert split(tokens) == ["我们12:30见，", "带上1,000元。", "Meet at 9:05, ", "ok? ",
                             "时间12：30。", "好"]


def test_tiny_fragments_are_not_spoken_alone() -> None:
    assert split(["嗯，", "好的。"]) == ["嗯，好的。"]


@pytest.mark.parametrize(("text", "expected"), [
    ("你叫什么名字？", 300), ("你吃饭了吗", 300), ("Is it raining?", 300),
    ("我到家了。", 450), ("I'm home.", 450),
    ("我刚到家", 900), ("I just got home", 900),
    ("我去了机场，然后", 2000), ("就是", 2000), ("I went there and", 2000),
    ("because", 2000), ("嗯", 2000), ("", 600), (None, 600),
])
def test_semantic_end_of_turn_waits_by_what_was_said(text: str | None, expected: int) -> None:
    assert semantic_silence_ms(text, "medium") == expected


def test_eagerness_orders_the_wait() -> None:
    for text in ["你好吗？", "然后", "我刚到家"]:
        high, medium, low = (semantic_silence_ms(text, e) for e in ("high", "medium", "low"))
        assert high < medium < low


def test_english_syllables_agree_with_every_hand_cut_english_song_line() -> None:
    for song in library():
        if song.language == "en":
            for phrase in song.phrases:
                assert count_english_syllables(phrase.caption("en")) == \
                    len(phrase.syllables()), phrase.lyrics


@pytest.mark.parametrize(("word", "cut"), [
    ("homework", ["home", "work"]), ("little", ["lit", "tle"]), ("sleigh", ["sleigh"]),
    ("makes", ["makes"]), ("wanted", ["wan", "ted"]), ("lovely", ["love", "ly"]),
    ("chicken", ["chick", "en"]), ("birthday", ["birth", "day"]), ("yes", ["yes"])])
def test_an_english_word_is_cut_where_it_is_sung(word: str, cut: list[str]) -> None:
    assert english_syllables(word) == cut
