"""Screening themes in what a caller says: sleep, appetite, energy, hopelessness, loneliness,
loss of interest (the themes of PHQ-9-style questionnaires, heard in conversation, never asked
as a form). Patterns and masks live in `data/themes.toml`; masks first remove the ways of
saying that something is fine, so "睡得很好" is not a sleep complaint."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

THEMES = ("sleep", "appetite", "energy", "hopeless", "lonely", "interest")


@dataclass(frozen=True, slots=True)
class _Themes:
    masks: re.Pattern[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (theme, all of its patterns as one)


@functools.cache
def _themes() -> _Themes:
    raw = tomllib.loads(resources.files("lingxi.memory").joinpath(
        "data/themes.toml").read_text("utf-8"))
    masks = re.compile("|".join(f"(?:{m})" for m in raw["masks"]))
    patterns = []
    for theme in THEMES:
        table = raw[theme]
        both = [*table["zh"], *table["en"]]
        patterns.append((theme, re.compile("|".join(f"(?:{p})" for p in both))))
    return _Themes(masks, tuple(patterns))


def themes_in(text: str) -> tuple[str, ...]:
    """The themes the words mention, each once, in `THEMES` order."""
    data = _themes()
    cleaned = data.masks.sub(" ", text.lower().replace("’", "'"))
    return tuple(theme for theme, pattern in data.patterns if pattern.search(cleaned))
