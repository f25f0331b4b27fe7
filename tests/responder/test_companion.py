"""The offline companion's decisions, with a pinned clock."""

from __future__ import annotations

import itertools
from datetime import datetime

from lingxi.companion import Companion
from lingxi.companion.data import dialogue, stories
from lingxi.interfaces import ChatMessage, ReplyRequest

NOW = datetime(2026, 11, 25, 9, 5)


def _talk(lines: list[str], persona: str = "companion", **kw: object) -> list[str]:
    companion = Companion(now=lambda: NOW)
    history: list[ChatMessage] = []
    replies = []
    for line in lines:
        history.append(ChatMessage("user", line))
        reply = companion.reply(ReplyRequest("", tuple(history), persona=persona,
                                             **kw))  # type: ignore[arg-type]
        history.append(ChatMessage("assistant", reply))
        replies.append(reply)
    return replies


def test_time_and_date_come_from_the_injected_clock() -> None:
    zh = _talk(["现在几点了？", "今天星期几？"])
    assert "上午9点05分" in zh[0] and "11月25日，星期三" in zh[1]
    en = _talk(["What time is it?", "What day is it today?"])
    assert "9:05 in the morning" in en[0] and "Wednesday, November 25" in en[1]


def test_repetition_never_gets_the_same_reply_twice_in_a_row() -> None:
    for line in ("我误机了", "嗯", "你好", "I missed my flight", "ok", "blah blah"):
        replies = _talk([line] * 12)
        assert all(a != b for a, b in itertools.pairwise(replies)), replies
        assert all(r.strip() for r in replies)


def test_feelings_are_reflected_and_earlier_troubles_remembered() -> None:
    replies = _talk(["早上误机了", "刚才打车又被坑了"])
    flight = next(s for s in dialogue("zh").situations if s.id == "missed_flight")
    assert any(line in replies[0] for line in flight.reflect)
    assert "误机" in replies[1] and "被坑" in replies[1]  # "今天真是祸不单行"
    assert not any(word in "".join(replies) for word in ("你应该", "你必须"))  # no lectures


def test_open_thread_is_asked_after_at_the_start_of_a_call() -> None:
    companion = Companion(now=lambda: NOW)
    opening = companion.reply(ReplyRequest("", (), open_threads=("误机了", "丢了钱包")))
    assert "上次你说误机了" in opening
    later = _talk(["你好", "今天还行", "就是有点累"], open_threads=("误机了",))
    assert "误机了" in later[0] and "误机了" not in later[2]


def test_a_story_resumes_where_the_listener_cut_it_off() -> None:
    companion = Companion(now=lambda: NOW)
    first = companion.reply(ReplyRequest("", (ChatMessage("user", "讲个故事"),)))
    story = next(s for s in stories() if s.part_list("zh")[0] in first)
    part = story.part_list("zh")[0]
    heard = first[: first.index(part) + len(part) // 2]  # a barge-in halfway through
    history = (ChatMessage("user", "讲个故事"), ChatMessage("assistant", heard),
               ChatMessage("user", "然后呢"))
    resumed = companion.reply(ReplyRequest("", history))
    assert part[-10:] in resumed and part[:8] not in resumed  # the rest, not from the top
    whole = (*history[:1], ChatMessage("assistant", first), ChatMessage("user", "然后呢"))
    assert story.part_list("zh")[1] in companion.reply(ReplyRequest("", whole))


def test_language_follows_the_caller_unless_set() -> None:
    assert _talk(["I feel so lonely"])[0].isascii()
    forced = _talk(["I feel so lonely"], language="zh")[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in forced)


def test_an_unknown_role_gets_a_plain_in_character_answer() -> None:
    reply = _talk(["talk like a pirate"], persona="sunwukong")[0]
    assert "pirate" in reply and "language model" in reply and "Old Sun" in reply


def test_asked_for_next_steps_it_helps_think_them_through() -> None:
    flight = next(s for s in dialogue("zh").situations if s.id == "missed_flight")
    reply = _talk(["误机了，现在怎么办？"])[0]
    assert any(line in reply for line in flight.help), reply
    assert "..." not in _talk(["..."])[0]  # nothing to echo back
