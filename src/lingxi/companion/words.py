"""Small pieces of wording: the caller's language, an echo of their words, time and date."""

from __future__ import annotations

import re
from datetime import datetime

_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


_CLAUSES = re.compile(r"[，。！？；,.!?;…\n]+")
_LEADING = re.compile(r"^(?:我觉得|我就是|就是|然后|其实|那个|嗯|啊|唉|哎|so|well|um|uh|like)\s*",
                      re.I)


def echo(text: str, lang: str) -> str:
    """A few of the caller's own words to say back: the last clause that has some substance."""
    clauses = [c.strip() for c in _CLAUSES.split(text) if c.strip()]
    if not clauses:
        return text.strip()
    clause = _LEADING.sub("", clauses[-1]) or clauses[-1]
    if lang == "zh":
        clause = clause.replace("我", "你")
        return clause[:14]
    words = clause.split()
    swapped = [{"i": "you", "my": "your", "me": "you", "i'm": "you're", "am": "are",
                "myself": "yourself"}.get(w.lower(), w) for w in words]
    return " ".join(swapped[:10])


def time_words(now: datetime, lang: str) -> str:
    h, m = now.hour, now.minute
    if lang == "zh":
        part = ("凌晨" if h < 6 else "早上" if h < 9 else "上午" if h < 12 else "中午" if h < 13
                else "下午" if h < 18 else "晚上")
        hour = h if h <= 12 else h - 12
        return f"{part}{hour}点" + (f"{m:02d}分" if m else "整")
    hour12 = h % 12 or 12
    when = ("at night" if h < 5 or h >= 21 else "in the morning" if h < 12
            else "in the afternoon" if h < 18 else "in the evening")
    return f"{hour12}:{m:02d} {when}"


def date_words(now: datetime, lang: str) -> str:
    if lang == "zh":
        return f"{now.month}月{now.day}日，星期{_WEEKDAYS_ZH[now.weekday()]}"
    return f"{_WEEKDAYS_EN[now.weekday()]}, {_MONTHS_EN[now.month - 1]} {now.day}"
