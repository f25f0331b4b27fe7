"""The trend detector, as pure logic on days: a slow slide over two weeks is flagged and said
in plain numbers; one bad day, a cheerful caller who slept badly once, or too few days of
calls are not; it never labels the caller."""

from __future__ import annotations

from datetime import date, timedelta

from lingxi.memory.mood import MoodSummary
from lingxi.memory.trend import Thresholds, day_score, detect

TODAY = date(2026, 11, 30)
LABELS = ("抑郁", "抑郁症", "depress", "disorder", "病", "diagnos")


def day(ago: int, valence: float = 0.1, low: int = 0, themes: dict[str, int] | None = None,
        turns: int = 4) -> MoodSummary:
    return MoodSummary(day=TODAY - timedelta(days=ago), turns=turns, valence=valence,
                       arousal=0.0, low=low, themes=themes or {})


def fine_month() -> list[MoodSummary]:
    return [day(a) for a in range(29, -1, -1)]


def test_a_steady_caller_is_not_flagged() -> None:
    assert not detect(fine_month(), TODAY).flagged


def test_a_slow_slide_is_flagged_with_its_numbers() -> None:
    days = [day(a) for a in range(29, 7, -1)]
    days += [day(a, valence=-0.5, low=3, themes={"sleep": 2}) for a in range(7, -1, -1)]
    trend = detect(days, TODAY)
    assert trend.kind == "declining"
    assert trend.themes["sleep"] == 16
    said = trend.sentence("zh")
    assert "16次" in said and "睡不好" in said
    english = trend.sentence("en")
    assert "16 times" in english and "sleeping badly" in english
    assert not any(word in said + english.lower() for word in LABELS)


def test_persistently_low_for_two_weeks_is_flagged() -> None:
    days = [day(a, valence=-0.4, low=2, themes={"energy": 1}) for a in range(15, -1, -1)]
    assert detect(days, TODAY).kind == "low"


def test_one_bad_day_is_not_a_trend() -> None:
    days = fine_month()
    days[-5] = day(4, valence=-0.8, low=4, themes={"sleep": 1, "hopeless": 2, "energy": 1})
    assert not detect(days, TODAY).flagged


def test_a_cheerful_caller_who_slept_badly_once_is_not_flagged() -> None:
    days = [day(a, valence=0.5) for a in range(29, -1, -1)]
    days[20] = day(9, valence=0.3, themes={"sleep": 1})
    assert not detect(days, TODAY).flagged


def test_low_words_without_the_themes_are_not_enough() -> None:
    """Weighed with the screening themes: a low mood alone, with no theme mentioned, is not
    flagged as persistently low (conservative)."""
    days = [day(a) for a in range(29, 14, -1)]
    days += [day(a, valence=-0.35, low=0) for a in range(14, -1, -1)]
    assert day_score(days[-1]) >= Thresholds().low_day
    assert not detect(days, TODAY).flagged


def test_two_weeks_of_calls_are_needed() -> None:
    days = [day(a, valence=-0.6, low=4, themes={"sleep": 3}) for a in range(9, -1, -1)]
    trend = detect(days, TODAY)
    assert not trend.flagged and trend.days_seen == 10
    sparse = [day(a, valence=-0.6, low=4, themes={"sleep": 3}) for a in (20, 12, 6, 1)]
    assert not detect(sparse, TODAY).flagged  # a span of weeks, but four days of calls


def test_later_days_do_not_count() -> None:
    days = fine_month() + [day(-a, valence=-0.9, low=4, themes={"sleep": 4})
                           for a in range(1, 15)]
    assert not detect(days, TODAY).flagged
