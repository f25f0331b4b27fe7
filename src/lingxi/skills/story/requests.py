"""What the caller asks of the storyteller, read from the turn's words (patterns and lines in
`data/story.yaml`), and the bookmark a story leaves in the caller's memory between calls."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from lingxi.companion.data import LANGUAGES, Story, asks_to_stop, stories
from lingxi.companion.story import StoryPlace
from lingxi.personas import PersonaBook
from lingxi.text import length_in_words

_LONGEST_REQUEST = 30  # Han characters or words: a request for a story is short
_LONGEST_GO_ON = 12  # "继续讲" is shorter still: "我继续上班了，你讲吧" is not one


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ByLanguage(_Data):
    zh: tuple[str, ...]
    en: tuple[str, ...]


class _Requests(_Data):
    any: _ByLanguage
    tell: _ByLanguage
    about: _ByLanguage
    make_up: _ByLanguage
    go_on: _ByLanguage
    last_call: _ByLanguage
    instead: _ByLanguage


class _Lines(_Data):
    from_last_call: tuple[str, ...] = Field(min_length=1)
    nothing_kept: tuple[str, ...] = Field(min_length=1)
    no_model: tuple[str, ...] = Field(min_length=1)


class MadeUp(_Data):
    system: str = Field(min_length=1)  # the storyteller's instructions ({name})
    longest: int = Field(gt=0)  # characters (zh) or words (en), then the sentence ends


class _File(_Data):
    requests: _Requests
    made_up: dict[Literal["zh", "en"], MadeUp]
    lines: dict[Literal["zh", "en"], _Lines]


@functools.cache
def _data() -> _File:
    text = resources.files("lingxi.skills.story").joinpath("data", "story.yaml").read_text("utf-8")
    data = _File.model_validate(yaml.safe_load(text))
    for group in data.requests.model_dump().values():
        for lang in LANGUAGES:
            for pattern in group[lang]:
                re.compile(pattern)  # a bad pattern fails at load, not mid-call
    return data


def lines(lang: str) -> _Lines:
    return _data().lines["zh" if lang == "zh" else "en"]


def made_up(lang: str) -> MadeUp:
    return _data().made_up["zh" if lang == "zh" else "en"]


def _said(group: str, text: str) -> bool:
    return any(p.search(text) for p in _patterns(group))


@functools.cache
def _patterns(group: str) -> tuple[re.Pattern[str], ...]:
    """Both languages' patterns ("tell me 三打白骨精" mixes them), compiled once: every turn
    of every call asks, on the event loop, and re's own cache is shared with the rest of
    the process."""
    patterns: _ByLanguage = getattr(_data().requests, group)
    return tuple(re.compile(p) for p in patterns.zh + patterns.en)


@dataclass(frozen=True, slots=True)
class Request:
    kind: Literal["tell", "go_on", "make_up"]  # make_up: a story on a theme, not the library's
    story: Story | None = None  # "讲三打白骨精"; None: any untold one ("讲个故事")
    earlier: bool = False  # "上次的故事讲到哪了": the one left half told in an earlier call
    again: bool = False  # "再讲一个": only after a story of ours


def named_story(text: str) -> tuple[Story, str] | None:
    """The library story named in `text` (the longest name wins) and the name used."""
    lowered = text.lower()
    best: tuple[Story, str] | None = None
    for story, name in _story_names():
        if name in lowered and (best is None or len(name) > len(best[1])):
            best = (story, name)
    return best


@functools.cache
def _story_names() -> tuple[tuple[Story, str], ...]:
    """Every library story's names, in the order named_story weighs them, gathered once (the
    storyteller asks on every turn of every call, on the event loop)."""
    return tuple((story, name) for story in stories() for lang in LANGUAGES
                 for name in story.names(lang))


def read(text: str) -> Request | None:
    """The storyteller's request in `text`, if it is one."""
    said = text.strip().lower()
    if not said or length_in_words(said) > _LONGEST_REQUEST:
        return None
    if asks_to_stop(said, "story") and not _said("instead", said):
        return None  # "我不想听故事了，聊聊天吧": the responder's ("…换一个" is a new story)
    named = named_story(said)
    if named is not None and (_said("tell", said) or _said("any", said)):
        return Request("tell", named[0])
    if _said("make_up", said):
        return Request("make_up")
    if _said("last_call", said) and ("故事" in said or "story" in said
                                           or _said("go_on", said)):
        return Request("go_on", earlier=True)
    if _said("go_on", said) and length_in_words(said) <= _LONGEST_GO_ON:
        return Request("go_on")
    if _said("any", said) and not _said("about", said):
        again = "故事" not in said and "story" not in said  # a bare "再讲一个"
        return Request("tell", again=again)
    return None


def teller(text: str, book: PersonaBook, story: Story | None) -> str | None:
    """The persona the caller asked to tell it ("让孙悟空讲三打白骨精"), if any; a persona's
    name inside the story's own name ("黛玉葬花") is not a request for her."""
    said = text.lower()
    if story is not None:
        for lang in LANGUAGES:
            for name in story.names(lang):
                said = said.replace(name, " ")
    who = book.named_in(said)
    return who.id if who is not None else None


# -- the bookmark ---------------------------------------------------------------------------

_SEP = "|"


def bookmark_text(place: StoryPlace) -> str:
    """How a story's place is kept in memory ("" once it is over: nothing to resume)."""
    if place.finished:
        return ""
    return _SEP.join((place.story.id, place.lang, str(place.part), str(place.resume_at)))


def bookmark_place(text: str) -> StoryPlace | None:
    """The place a bookmark points at, if it still fits the library."""
    fields = text.split(_SEP)
    if len(fields) != 4 or not fields[2].isdigit() or not fields[3].isdigit():
        return None
    story = next((s for s in stories() if s.id == fields[0]), None)
    if story is None or fields[1] not in LANGUAGES:
        return None
    part, at = int(fields[2]), int(fields[3])
    parts = story.part_list(fields[1])
    if part >= len(parts) or at >= len(parts[part]):
        return None
    return StoryPlace(story, fields[1], part, at)
