"""The memory note a responder gets: short, within a token budget, most useful first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from lingxi.memory.store import FactView
from lingxi.text import HAN

THREAD_DAYS = 14  # an event older than this is no longer asked after
MAX_THREADS = 3
_HEADINGS = (("like", "Likes"), ("family", "Family"), ("work", "Work"), ("place", "Places"),
             ("date", "Dates"))


def tokens(text: str) -> int:
    """A rough token count: a Han character is about one token, other text about four
    characters per token."""
    han = len(HAN.findall(text))
    return han + (len(text) - han + 3) // 4


@dataclass(frozen=True, slots=True)
class Recollection:
    note: str
    threads: tuple[str, ...]  # the caller's words, newest first
    thread_ids: tuple[str, ...]


def open_threads(facts: Sequence[FactView], now: datetime, call_id: str) -> list[FactView]:
    """Events from earlier calls, not yet asked after, newest first."""
    since = now - timedelta(days=THREAD_DAYS)
    out = [f for f in facts if f.kind == "event" and f.call_id != call_id
           and f.asked_at is None and f.at >= since]
    return out[:MAX_THREADS]


def when(fact: FactView, now: datetime) -> str:
    day = fact.happened_on or fact.at
    days = (now.date() - day.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {day:%A}, {days} days ago"
    return f"on {day:%d %b}"


def recollect(facts: Sequence[FactView], now: datetime, call_id: str,
              budget: int = 200) -> Recollection:
    """Build the note from facts (newest first): name, open threads, recent events, then the
    rest, each line added only while the budget allows."""
    if not facts:
        return Recollection("", (), ())
    threads = open_threads(facts, now, call_id)
    thread_ids = {f.id for f in threads}
    name = next((f for f in facts if f.kind == "name"), None)
    lines: list[str] = []
    if name is not None:
        lines.append(f"- Their name: {name.text}")
    if threads:
        lines.append("- Open threads from earlier calls (ask how it went): " + "; ".join(
            f"{f.text} ({when(f, now)})" for f in threads))
    events = [f for f in facts if f.kind == "event" and f.id not in thread_ids][:5]
    if events:
        lines.append("- Recent events: " + "; ".join(f"{f.text} ({when(f, now)})"
                                                      for f in events))
    for kind, heading in _HEADINGS:
        items = list(dict.fromkeys(f.text for f in facts if f.kind == kind))[:4]
        if items:
            lines.append(f"- {heading}: " + "; ".join(items))
    head = "What you remember about the caller (use it naturally, never recite it):"
    used = tokens(head)
    kept: list[str] = []
    for line in lines:
        cost = tokens(line) + 1
        if used + cost > budget:
            continue  # a shorter line further down may still fit
        kept.append(line)
        used += cost
    note = "\n".join([head, *kept]) if kept else ""
    return Recollection(note, tuple(f.text for f in threads), tuple(f.id for f in threads))
