"""The screening themes heard in words (zh and en, the ways of saying all is well masked), and
a small, fast run of the scripted callers through the real affect engine and risk tracker
(bench/bench_mood.py runs all 80, and more)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lingxi.memory.mood import MoodTurn, summarise_call, summarise_day
from lingxi.memory.themes import themes_in
from tests.mood.sim import callers, first_flag, flagged_in_time, live


def test_themes_in_both_languages() -> None:
    assert themes_in("最近老是失眠，半夜三点就醒") == ("sleep",)
    assert themes_in("I can't sleep and I have no appetite") == ("sleep", "appetite")
    assert themes_in("我好累，什么都不想做") == ("energy", "interest")
    assert themes_in("一个人在家，好孤单，感觉看不到希望") == ("hopeless", "lonely")
    assert themes_in("I used to love painting but I don't enjoy it now") == ("interest",)


def test_saying_all_is_well_is_not_a_theme() -> None:
    for words in ("睡得很好", "我最近没有失眠了", "胃口很好", "I slept well, feeling great",
                  "no trouble sleeping these days", "今天天气不错", "I'm not lonely at all"):
        assert themes_in(words) == (), words


def test_a_day_weighs_its_calls_by_turns() -> None:
    at = datetime(2026, 11, 2, 20, tzinfo=UTC)
    low = [MoodTurn(at, "sad", -0.6, -0.4, "distress", ("sleep",))] * 3
    fine = [MoodTurn(at, "neutral", 0.2, 0.0, "none")]
    first, second = summarise_call(low, date(2026, 11, 2)), summarise_call(fine, at.date())
    assert first is not None and second is not None
    day = summarise_day([first, second])
    assert day is not None
    assert day.turns == 4 and day.calls == 2 and day.low == 3
    assert day.valence == round((3 * -0.6 + 0.2) / 4, 4)
    assert day.themes == {"sleep": 3} and day.risk == "distress"


def test_the_held_out_callers_meet_the_issues_targets() -> None:
    """The held-out half (40 callers, never tuned on) through the real engines: declines
    flagged within 14 days of their onset ≥ 90% of the time; stable and one-bad-day callers
    flagged ≤ 10% of the time (together, as the issue counts them); likewise the cheerful."""
    flags: dict[str, list[bool]] = {}
    for caller in callers("heldout"):
        lived = live(caller)
        assert len(lived.days) >= 15 and lived.turns >= 60  # most days of the month
        flags.setdefault(caller.kind, []).append(flagged_in_time(caller, first_flag(lived)))

    def rate(*kinds: str) -> float:
        seen = [f for kind in kinds for f in flags[kind]]
        return sum(seen) / len(seen)

    assert rate("declining") >= 0.9
    assert rate("low") >= 0.9
    assert rate("stable", "one_bad_day") <= 0.1
    assert rate("cheerful_sleep") <= 0.1
