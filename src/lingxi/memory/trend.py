"""The slow slide: persistently low mood, or a clear decline, over at least two weeks (the
PHQ-9 window), weighed with how often the caller mentioned the screening themes.

Pure logic on the per-day summaries. Conservative by design: a trend needs enough days of
calls, a span of two weeks, a mood that is low (or falling) on most of them AND the themes
said on several days; one bad day, or a cheerful caller who slept badly once, is not a trend.
Every flag carries the numbers it rests on, and a sentence that says them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from lingxi.memory.mood import MoodSummary

WINDOW_DAYS = 14
RECENT_DAYS = 7


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Tuned on dev callers only (bench/bench_mood.py --tune: 160 dev callers, a grid where a
    false alarm costs three missed declines); the held-out callers were never tuned on."""

    min_days: int = 6  # days with calls in the window
    low_day: float = 0.3  # a day whose low score (`day_score`) reaches this is a low day
    low_days_share: float = 0.6  # persistently low: this share of the window's days are low
    theme_days: int = 4  # ... and a screening theme was mentioned on this many days of it
    drop: float = 0.15  # decline: the recent week's mean score this far above the weeks before
    recent: float = 0.6  # ... the recent week's mean score at least this
    recent_theme_days: int = 2  # ... with themes mentioned on this many of its days


@dataclass(frozen=True, slots=True)
class Trend:
    kind: str | None  # "low" | "declining" | None (nothing to say)
    days_seen: int = 0  # days with calls in the window
    low_days: int = 0
    theme_days: int = 0
    themes: dict[str, int] = field(default_factory=dict)  # mentions in the window
    drop: float = 0.0  # how much lower the recent week was than the weeks before (day score)
    arousal_drop: float = 0.0  # how far the energy in their voice and words fell

    @property
    def flagged(self) -> bool:
        return self.kind is not None

    def sentence(self, lang: str) -> str:
        """What was noticed, in plain words and numbers, never a label."""
        if not self.flagged:
            return ""
        top = Counter(self.themes).most_common(1)
        zh = lang == "zh"
        parts: list[str] = []
        if top:
            theme, count = top[0]
            parts.append(f"你这两周里有{count}次提到{_ZH[theme]}" if zh else
                         f"over these two weeks you mentioned {_EN[theme]} {count} times")
        else:
            parts.append(f"这两周里有{self.low_days}天你听起来挺低落的" if zh else
                         f"on {self.low_days} days these two weeks you sounded low")
        if self.arousal_drop >= 0.15:
            parts.append("说话的声音也比以前低" if zh else "and you sound quieter than before")
        text = "，".join(parts) if zh else " ".join(parts)
        return text + ("。" if zh else ".")


_ZH = {"sleep": "睡不好", "appetite": "没胃口", "energy": "很累", "hopeless": "看不到希望",
       "lonely": "孤单", "interest": "对事情提不起兴趣"}
_EN = {"sleep": "sleeping badly", "appetite": "not feeling like eating",
       "energy": "feeling tired", "hopeless": "feeling hopeless", "lonely": "feeling lonely",
       "interest": "losing interest in things"}


def day_score(day: MoodSummary) -> float:
    """How low a day was, 0 (fine) to 3: how negative the mood sounded, the share of turns
    that sounded low, and the share that mentioned a screening theme (each up to 1)."""
    if day.turns <= 0:
        return 0.0
    themes = sum(day.themes.values())
    return max(0.0, -day.valence) + day.low / day.turns + min(1.0, themes / day.turns)


def detect(days: Sequence[MoodSummary], today: date,
           limits: Thresholds | None = None) -> Trend:
    """The trend as of `today` from the caller's days (any order; later days ignored)."""
    limits = limits or Thresholds()
    known = sorted((d for d in days if d.day <= today and d.turns > 0), key=lambda d: d.day)
    start = today - timedelta(days=WINDOW_DAYS - 1)
    window = [d for d in known if d.day >= start]
    if not known or known[0].day > start or len(window) < limits.min_days:
        return Trend(None, days_seen=len(window))  # not two weeks of calls yet
    themes: Counter[str] = Counter()
    for d in window:
        themes.update(d.themes)
    low = [d for d in window if day_score(d) >= limits.low_day]
    theme_days = sum(1 for d in window if sum(d.themes.values()) > 0)
    recent_start = today - timedelta(days=RECENT_DAYS - 1)
    recent = [d for d in window if d.day >= recent_start]
    before = [d for d in known if today - timedelta(days=2 * WINDOW_DAYS) <= d.day < recent_start]
    both = bool(recent and before)
    drop = _mean(recent, day_score) - _mean(before, day_score) if both else 0.0
    arousal_drop = (_mean(before, lambda d: d.arousal) - _mean(recent, lambda d: d.arousal)
                    if both else 0.0)
    kind: str | None = None
    if len(low) >= limits.low_days_share * len(window) and theme_days >= limits.theme_days:
        kind = "low"
    elif (both and drop >= limits.drop and _mean(recent, day_score) >= limits.recent
          and sum(1 for d in recent if sum(d.themes.values()) > 0) >= limits.recent_theme_days):
        kind = "declining"
    return Trend(kind, days_seen=len(window), low_days=len(low), theme_days=theme_days,
                 themes=dict(themes), drop=round(drop, 3), arousal_drop=round(arousal_drop, 3))


def _mean(days: Sequence[MoodSummary], value: Callable[[MoodSummary], float]) -> float:
    """Per-day means, each day weighing the same (a long call is not a longer day)."""
    return sum(value(d) for d in days) / len(days)
