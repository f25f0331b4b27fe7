"""The companion's dialogue data (zh.yaml, en.yaml, stories.yaml), validated on load."""

from __future__ import annotations

import functools
import re
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from lingxi.personas.model import TextLists, Texts


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Intent(_Data):
    id: str
    any: tuple[str, ...] = Field(min_length=1)
    low: bool = False  # only when no situation was heard


class Situation(_Data):
    id: str
    label: str  # how it is referred to later ("误机")
    any: tuple[str, ...] = Field(min_length=1)
    negative: bool = True
    reflect: tuple[str, ...] = Field(min_length=1)
    ask: tuple[str, ...] = Field(min_length=1)
    again: tuple[str, ...] = Field(min_length=1)  # said about it before in this call
    help: tuple[str, ...] = ()  # next steps, once it has been talked through


class Dialogue(_Data):
    lang: str
    intents: tuple[Intent, ...]
    situations: tuple[Situation, ...]
    short_acks: tuple[str, ...]
    lines: dict[str, tuple[str, ...]]

    def matches(self, words: tuple[str, ...], text: str) -> bool:
        """Whether any of `words` occurs in `text` (whole words in English)."""
        lowered = text.lower()
        if self.lang == "zh":
            return any(w in lowered for w in words)
        return any(_word_pattern(w).search(lowered) for w in words)


class Story(_Data):
    id: str
    title: Texts
    parts: TextLists

    def part_list(self, lang: str) -> tuple[str, ...]:
        return self.parts.get(lang)


REQUIRED_LINES = frozenset({
    "greet", "greet_switch", "greet_more", "thread", "listen", "open_question", "listen_short",
    "listen_again", "compound", "ask_time", "ask_date", "identity", "abilities", "needs_llm",
    "question", "relatives_marriage", "relatives_money", "relatives_kids", "identity_persona",
    "thanks", "repeat_prefix", "nothing_to_repeat", "cannot_play",
    "story_start", "story_more", "story_resume", "story_end", "no_story", "story_question",
})


@functools.cache
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])" + re.escape(word.lower()) + r"(?![a-z])")


def _read(name: str) -> object:
    text = resources.files("lingxi.companion").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text)


@functools.cache
def dialogue(lang: str) -> Dialogue:
    data = _read(f"{lang}.yaml")
    assert isinstance(data, dict)
    result = Dialogue.model_validate({**data, "lang": lang})
    missing = REQUIRED_LINES - set(result.lines)
    if missing:
        raise ValueError(f"companion data {lang}.yaml lacks line groups {sorted(missing)}")
    return result


@functools.cache
def stories() -> tuple[Story, ...]:
    data = _read("stories.yaml")
    assert isinstance(data, list)
    return tuple(Story.model_validate(s) for s in data)
