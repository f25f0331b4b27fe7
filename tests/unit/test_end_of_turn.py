"""Reading the words so far for whether the caller is done (zh and en)."""

from __future__ import annotations

import pytest

from lingxi.session.end_of_turn import ending
from lingxi.session.turns import semantic_silence_ms


@pytest.mark.parametrize("text", [
    "你叫什么名字？", "你吃饭了吗", "明天会下雨吗。", "What time is it?", "Hello, who are you?",
])
def test_a_question_is_a_question(text: str) -> None:
    assert ending(text) == "question"


@pytest.mark.parametrize("text", [
    "我有点累了。", "好的。", "走吧", "现在几点了",
    "My cat is sick.", "Thank you.", "I think so.", "I do.", "I passed my exam!",
    "I can't wait.",
])
def test_a_finished_statement_or_short_answer_is_done(text: str) -> None:
    assert ending(text) == "sentence"


@pytest.mark.parametrize("text", ["谢谢你陪我聊天。", "我知道。", "我下午去医院。", "我妈。",
                                  # answers that look like the openings above
                                  "我没看到。", "我有事。", "你说。"])
def test_a_mandarin_statement_without_a_closing_particle_is_bare(text: str) -> None:
    # Done, or the first clause of a longer sentence said before a comma.
    assert ending(text) == "bare"


@pytest.mark.parametrize("text", [
    # connectives and fillers, whatever punctuation the recogniser put after them
    "我去了机场，然后", "就是。", "因为工作太忙了，所以", "嗯", "还有，",
    # a verb or adverb waiting for what it is about, a subject with nothing said of it
    "其实我一直想", "我觉得。", "我有个朋友，他", "这个菜有点",
    "你知道吗？我们公司。", "对了，我的猫",
    # a preposition phrase with no verb yet, a time that sets the scene
    "昨天我跟我妈", "我今天早上。",
    "I went there and", "and then", "Um, I think", "I want to learn how to.",
    "The thing is,", "It was about the", "We could meet at", "I was just...",
    # a clause that only announces what follows
    "你知道吗？", "等一下。", "Guess what?", "Sorry, wait.",
    # something seen, heard or told, with nothing of it said yet; a matter announced
    "我在地铁上碰见。", "他们说", "我有个问题。", "我想问你一件事", "问题是。",
    "I noticed", "My boss told me.",
])
def test_an_unfinished_sentence_is_unfinished(text: str) -> None:
    assert ending(text) == "unfinished"


def test_auto_answers_a_finished_turn_in_a_quarter_second_and_waits_on_and() -> None:
    assert semantic_silence_ms("你叫什么名字？", "auto") <= 250
    assert semantic_silence_ms("我有点累了。", "auto") <= 250
    assert semantic_silence_ms("我今天早上，", "auto") >= 1500
    # A statement a particle does not close waits about a comma's pause, no more.
    assert semantic_silence_ms("我有点累了。", "auto") < \
        semantic_silence_ms("我下午去医院。", "auto") <= 500
    assert semantic_silence_ms("I went to the store and", "auto") >= 1500
    # Before any words are known it waits for them rather than guessing.
    assert semantic_silence_ms(None, "auto") > semantic_silence_ms("我有点累了。", "auto")


@pytest.mark.parametrize("text", ["我明天去医院。", "我那个同事", "my brother"])
def test_a_clear_reading_of_words_left_open_sets_the_wait(text: str) -> None:
    rules = semantic_silence_ms(text, "auto")
    assert semantic_silence_ms(text, "auto", 0.05) == semantic_silence_ms("然后", "auto")
    assert semantic_silence_ms(text, "auto", 0.95) == semantic_silence_ms("好的。", "auto")
    assert semantic_silence_ms(text, "auto", 0.5) == rules
    assert semantic_silence_ms("然后", "auto") > rules > semantic_silence_ms("好的。", "auto")


@pytest.mark.parametrize("text", ["你叫什么名字？", "我今天早上，", "I went home and", "好的。"])
def test_a_reading_never_overrides_a_plain_sign(text: str) -> None:
    rules = semantic_silence_ms(text, "auto")
    assert semantic_silence_ms(text, "auto", 0.01) == semantic_silence_ms(text, "auto", 0.99) \
        == rules


@pytest.mark.parametrize("text", ["明天是星期几。", "你在哪里", "今天天气怎么样。", "这个多少钱。",
                                  "他是谁"])
def test_a_question_word_last_asks_without_a_question_mark(text: str) -> None:
    assert ending(text) == "question"


@pytest.mark.parametrize("text", ["那部电影叫什么来着。", "我们什么时候", "你叫什么名字。"])
def test_a_question_word_inside_the_words_is_no_question(text: str) -> None:
    assert ending(text) != "question"
