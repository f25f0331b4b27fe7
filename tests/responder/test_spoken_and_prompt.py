"""The spoken-style filter: what is written for a screen never reaches the TTS."""

from __future__ import annotations

import random

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
    assert len(messages) == 7 and messages[-1]["content"] == "第29句话"
    system = messages[0]["content"]
    assert "第23句话" in system and "第0句话" in system  # older turns, summarised
    assert "第24句话" not in system


def test_an_unknown_role_becomes_an_ad_hoc_persona_for_the_model() -> None:
    request = ReplyRequest("", (ChatMessage("user", "talk like a pirate"),))
    system = chat_messages(request, builtin_book())[0]["content"]
    assert "talk like a pirate" in system
    plain = chat_messages(ReplyRequest("", (ChatMessage("user", "hello"),)), builtin_book())
    assert "talk like" not in plain[0]["content"]


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
