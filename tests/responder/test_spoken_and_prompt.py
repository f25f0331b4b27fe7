"""The spoken-style filter: what is written for a screen never reaches the TTS."""

from __future__ import annotations

import random
from typing import Any

import pytest

from lingxi.engines.llm.prompt import chat_messages
from lingxi.engines.spoken import SpokenFilter
from lingxi.interfaces import ChatMessage, ReplyRequest
from lingxi.personas import builtin_book

CASES = [
    ("**好的！**我们来看看：\n1. 早点睡\n2. 多喝水 😊\n- 别熬夜\n\n详情见 https://x.cn/a?b=1 哦。",
     "好的！我们来看看：早点睡。多喝水。别熬夜。详情见 哦。"),
    ("# Tips\n* Sleep early\n* Drink **water** 💧\n\n```python\nprint('hi')\n```\n"
     "See [the guide](http://x.y/z) for more. Version 3.5 is out.",
     "Tips. Sleep early. Drink water. See the guide for more. Version 3.5 is out."),
    ("| 时间 | 事项 |\n|---|---|\n| 九点 | 开会 |\n", "时间，事项。九点，开会。"),
    ("100 people came. 2024年很好。", "100 people came. 2024年很好。"),
    ("<think>用户说误机了，我应该先共情。</think>误机真的很难受。a<b", "误机真的很难受。a<b"),
]


def _whole(text: str) -> str:
    f = SpokenFilter()
    return f.push(text) + f.flush()


@pytest.mark.parametrize(("written", "spoken"), CASES)
def test_markdown_lists_code_urls_and_emoji_are_not_spoken(written: str, spoken: str) -> None:
    assert _whole(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), CASES)
def test_any_token_split_gives_the_same_words(written: str, spoken: str) -> None:
    for seed in range(30):
        rnd = random.Random(seed)
        f, out, i = SpokenFilter(), "", 0
        while i < len(written):
            n = rnd.randint(1, 5)
            out += f.push(written[i:i + n])
            i += n
        assert out + f.flush() == spoken


def test_plain_text_is_not_held_back() -> None:
    f = SpokenFilter()
    assert f.push("你好，") == "你好，"  # the first clause can go to the TTS at once
    assert f.push("我在呢") == "我在呢"


def test_long_calls_keep_recent_turns_and_a_summary() -> None:
    history = tuple(ChatMessage("user" if i % 2 == 0 else "assistant", f"第{i}句话")
                    for i in range(30))
    messages = chat_messages(ReplyRequest("", history), builtin_book(), keep=6)
    words = [m["content"] for m in messages[1:] if m["role"] != "system"]
    assert words == [f"第{i}句话" for i in range(24, 30)]  # 6 ≤ kept < 12
    system = messages[0]["content"]
    assert "第23句话" in system and "第0句话" in system  # older turns, summarised
    assert "第24句话" not in system


def _turns(count: int) -> tuple[ChatMessage, ...]:
    said = ["我今天误机了", "Do you like cats?", "你会唱歌吗", "talk like a pirate", "好吧"]
    return tuple(ChatMessage("user", said[i // 2 % len(said)]) if i % 2 == 0
                 else ChatMessage("assistant", f"回答{i}") for i in range(count))


def test_each_turn_s_prompt_begins_with_the_last_one_s() -> None:
    # The model server reads again only what differs from the prompt it last saw, on two
    # cores about 30 tokens a second: a turn must add to the last prompt, not rewrite it.
    # Only the summary moving on (every `keep` messages) may start it afresh.
    book, keep, fresh = builtin_book(), 6, 0
    for n in range(1, 40, 2):
        before = chat_messages(ReplyRequest("", _turns(n), affect_note="对方此刻：很累"),
                               book, keep=keep)
        after = chat_messages(ReplyRequest("", _turns(n + 2)), book, keep=keep)
        if after[:len(before) - 1] != before[:-1]:  # all but how the caller sounded then
            fresh += 1
    assert fresh <= 40 // keep


def _notes(messages: list[dict[str, Any]]) -> list[str]:
    return [m["content"] for m in messages[1:] if m["role"] == "system"]


def test_an_unknown_role_becomes_an_ad_hoc_persona_for_the_model() -> None:
    history = (ChatMessage("user", "talk like a pirate"),)
    told = chat_messages(ReplyRequest("", history), builtin_book())
    assert any("Play along" in n and "pirate" in n for n in _notes(told))
    later = chat_messages(ReplyRequest("", (*history, ChatMessage("assistant", "Arr!"),
                                            ChatMessage("user", "how are you"))),
                          builtin_book())
    # Still playing it a turn on, and told so where it was asked.
    assert any("Play along" in n and "pirate" in n for n in _notes(later))
    plain = chat_messages(ReplyRequest("", (ChatMessage("user", "hello"),)), builtin_book())
    assert not any("Play along" in n for n in _notes(plain))


def test_the_answer_language_follows_each_thing_the_caller_said() -> None:
    history = (ChatMessage("user", "我今天误机了"), ChatMessage("assistant", "哎呀"),
               ChatMessage("user", "Do you like cats?"))
    messages = chat_messages(ReplyRequest("", history), builtin_book())
    notes = _notes(messages)
    assert "中文" in notes[0] and "English" in notes[-1]
    fixed = chat_messages(ReplyRequest("", history, language="zh"), builtin_book())
    assert all("中文" in n for n in _notes(fixed))


def test_the_model_is_told_how_the_caller_sounds_only_when_there_is_something_to_say() -> None:
    from lingxi.engines.affect import affect_note
    from lingxi.interfaces import Affect

    tired = Affect("tired", -0.2, -0.6, cues=("pitch_low", "slow"), from_voice=True)
    note = affect_note(tired, "zh")
    assert note == "对方此刻：声音低沉、语速慢，听起来很累"
    history = (ChatMessage("user", "今天好累"),)
    told = chat_messages(ReplyRequest("", history, affect_note=note), builtin_book())
    # Last, after the caller's words: what comes before it stays the same from turn to turn,
    # so the model server's prompt cache keeps it.
    assert told[-1]["role"] == "system" and note in told[-1]["content"]
    plain = chat_messages(ReplyRequest("", history), builtin_book())
    assert told[:-1] == plain
    assert affect_note(Affect("neutral", from_voice=True), "zh") == ""
    assert not any("对方此刻" in m["content"] for m in plain)
