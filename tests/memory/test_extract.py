"""Facts from words (the pattern data), requests about memory, and the note's budget."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from lingxi.memory.extract import Extractor, PatternError, default_extractor
from lingxi.memory.note import recollect, tokens
from lingxi.memory.store import FactView

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(("said", "expected"), [
    ("我叫小王，我今天误机了，下午的会全泡汤了", [("name", "小王"), ("event", "误机了")]),
    ("我昨天被摩托车司机坑了", [("event", "被摩托车司机坑了")]),
    ("我错过了航班。", [("event", "错过了航班")]),
    ("叫我老李就行", [("name", "老李")]),
    ("我喜欢猫", [("like", "猫")]),
    ("我女儿今年五岁", [("family", "女儿今年五岁")]),
    ("我是程序员", [("work", "程序员")]),
    ("我住在杭州", [("place", "杭州")]),
    ("我生日是五月三号", [("date", "我生日是五月三号")]),
    ("My name is Alice. I missed my flight this morning!",
     [("name", "Alice"), ("event", "missed my flight this morning")]),
    ("I work at a bank and I love hiking", [("work", "at a bank"), ("like", "hiking")]),
    ("I'm from Dublin and my wife is a teacher",
     [("place", "Dublin"), ("family", "wife is a teacher")]),
    ("I'm a software engineer", [("work", "software engineer")]),
    ("my birthday is next Friday", [("date", "my birthday is next Friday")]),
])
def test_facts_in_the_callers_words(said: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.kind, f.text) for f in default_extractor().extract(said)] == expected


@pytest.mark.parametrize("said", ["我爱你", "你记得我什么？", "我很难过", "今天天气不错",
                                  "I love you", "what do you think?"])
def test_no_fact_where_there_is_none(said: str) -> None:
    assert default_extractor().extract(said) == []


def test_events_are_dated_by_their_words() -> None:
    found = default_extractor().extract("我昨天被摩托车司机坑了")[0]
    assert found.days_ago == 1
    assert found.happened_on(NOW) == NOW - timedelta(days=1)
    assert default_extractor().extract("我错过了航班")[0].happened_on(NOW) is None


@pytest.mark.parametrize(("said", "command"), [
    ("你记得我什么？", ("recall", "")), ("What do you remember about me?", ("recall", "")),
    ("忘掉这件事", ("forget", "这件事")), ("把误机的事忘了吧", ("forget", "误机的事")),
    ("Forget that.", ("forget", "that")), ("我忘了带钥匙", None), ("I forget things", None),
])
def test_requests_about_memory(said: str, command: tuple[str, str] | None) -> None:
    assert default_extractor().command(said) == command


def test_bad_pattern_data_is_a_clear_error() -> None:
    with pytest.raises(PatternError, match="no group named 'what'"):
        Extractor({"fact": [{"kind": "like", "regex": "我喜欢(.+)"}]})
    with pytest.raises(PatternError, match="unknown fact kind"):
        Extractor({"fact": [{"kind": "hobby", "regex": "(?P<what>.+)"}]})


def fact(text: str, kind: str, days_ago: float, call: str = "earlier") -> FactView:
    return FactView(id=uuid.uuid4().hex, kind=kind, text=text, lang="zh",
                    at=NOW - timedelta(days=days_ago), call_id=call)


def test_the_note_puts_the_name_and_open_threads_first() -> None:
    facts = [fact("被摩托车司机坑了", "event", 0, call="this"), fact("喜欢猫", "like", 1),
             fact("误机了", "event", 4), fact("辞职了", "event", 30), fact("小王", "name", 60)]
    found = recollect(facts, NOW, "this")
    assert found.threads == ("误机了",)  # from an earlier call, recent, not yet asked
    lines = found.note.splitlines()
    assert lines[1] == "- Their name: 小王"
    assert lines[2].startswith("- Open threads") and "误机了 (on Saturday, 4 days ago)" in lines[2]
    assert "被摩托车司机坑了 (today)" in lines[3] and "辞职了" in lines[3]


def test_the_note_stays_within_its_budget() -> None:
    facts = [fact(f"喜欢第{i}种很长很长的东西", "like", i / 100) for i in range(50)]
    facts += [fact("小王", "name", 1)]
    for budget in (30, 60, 200):
        note = recollect(facts, NOW, "this", budget=budget).note
        assert tokens(note) <= budget
    assert "小王" in recollect(facts, NOW, "this", budget=30).note
    assert recollect([], NOW, "this").note == ""
