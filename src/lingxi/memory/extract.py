"""Facts from what a caller says, by pattern (offline; the patterns are data).

LLM-based extraction (when an LLM is configured) is not built yet; the patterns cover names,
events, likes, family, work, places and dates in Chinese and English.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

KINDS = ("name", "event", "like", "family", "work", "place", "date")
# Clauses: punctuation, and English "and"/"but" before a new subject ("…and my wife…").
_CLAUSE = re.compile(r"[，。！？；,!?;\n]|(?<![0-9])\.(?![0-9])"
                     r"|\s+(?:and|but|so)\s+(?=(?:I|I'm|my|we)\b)", re.IGNORECASE)
_TRIM = " \t\"'“”‘’…~～、:：()（）[]"


class PatternError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Found:
    kind: str
    text: str
    lang: str
    days_ago: int | None = None  # from "昨天"/"yesterday"; None when the words do not say

    def happened_on(self, now: datetime) -> datetime | None:
        return None if self.days_ago is None else now - timedelta(days=self.days_ago)


@dataclass(frozen=True, slots=True)
class _Pattern:
    kind: str
    lang: str
    regex: re.Pattern[str]


class Extractor:
    def __init__(self, data: dict[str, Any]) -> None:
        try:
            self._patterns = [_compile(p) for p in data["fact"]]
            limits = data.get("limits", {})
            self._min = int(limits.get("min_chars", 2))
            self._max = int(limits.get("max_chars", 40))
            self._days = {str(k).lower(): int(v) for k, v in data.get("days", {}).items()}
            self._reject = {w.lower() for w in data.get("reject", {}).get("words", [])}
            commands = data.get("commands", {})
            self._commands = [(name, re.compile(str(r))) for name in ("recall", "forget")
                              for r in commands.get(name, [])]
            self._affect = {str(k): [str(w).lower() for w in v]
                            for k, v in data.get("affect", {}).items()}
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise PatternError(f"bad memory pattern data: {exc}") from exc

    def extract(self, text: str) -> list[Found]:
        found: list[Found] = []
        seen: set[tuple[str, str]] = set()
        for clause in _CLAUSE.split(text):
            days = self._days_in(clause)
            for p in self._patterns:
                for match in p.regex.finditer(clause):
                    what = _captured(match).strip(_TRIM)
                    if not self._keep(p.kind, what) or (p.kind, what) in seen:
                        continue
                    seen.add((p.kind, what))
                    found.append(Found(p.kind, what, p.lang,
                                       days if p.kind == "event" else None))
        return found

    def command(self, text: str) -> tuple[str, str] | None:
        """("recall", "") for "what do you remember about me", ("forget", what) for
        "forget that" / "忘掉误机的事"; None for anything else."""
        stripped = text.strip()
        for name, regex in self._commands:
            match = regex.search(stripped)
            if match:
                return name, _captured(match).strip(_TRIM)
        return None

    def affect(self, text: str) -> str:
        """How the words sound (a placeholder for the affect engine, which hears the voice)."""
        lowered = text.lower()
        for label, words in self._affect.items():
            if any(w in lowered for w in words):
                return label
        return "neutral"

    def _keep(self, kind: str, what: str) -> bool:
        size = len(what) if kind != "name" else len(what) + 1  # 王 is a whole name
        return self._min <= size <= self._max and what.lower() not in self._reject

    def _days_in(self, clause: str) -> int | None:
        lowered = clause.lower()
        for word, offset in self._days.items():
            if word in lowered:
                return -offset
        return None


def _compile(entry: dict[str, Any]) -> _Pattern:
    kind = str(entry["kind"])
    if kind not in KINDS:
        raise ValueError(f"unknown fact kind {kind!r} (one of {', '.join(KINDS)})")
    regex = re.compile(str(entry["regex"]))
    if not any(name.startswith("what") for name in regex.groupindex):
        raise ValueError(f"pattern {entry['regex']!r} has no group named 'what'")
    return _Pattern(kind, str(entry.get("lang", "zh")), regex)


def _captured(match: re.Match[str]) -> str:
    for name, value in match.groupdict().items():
        if name.startswith("what") and value:
            return value
    return ""


@functools.cache
def default_extractor() -> Extractor:
    raw = resources.files("lingxi.memory").joinpath("data/patterns.toml").read_text("utf-8")
    return Extractor(tomllib.loads(raw))
