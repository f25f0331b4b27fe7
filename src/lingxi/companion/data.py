"""The companion's dialogue data (zh.yaml, en.yaml, stories.yaml), validated on load."""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Literal

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


HEAD = 8  # characters of a part that identify it in what the caller heard
LANGUAGES = ("zh", "en")


class Story(_Data):
    id: str
    title: Texts
    aliases: TextLists  # what a caller may call it, besides its title
    persona: str  # who would tell it, when the caller asks that persona to
    parts: TextLists

    def part_list(self, lang: str) -> tuple[str, ...]:
        return self.parts.get(lang)

    def names(self, lang: str) -> tuple[str, ...]:
        """Its title and aliases in `lang`, lower-cased, longest first (the best match)."""
        return tuple(sorted({n.lower() for n in (self.title.get(lang), *self.aliases.get(lang))},
                            key=len, reverse=True))


def _checked(library: tuple[Story, ...]) -> tuple[Story, ...]:
    """Every story in both languages, told in 2-6 parts (the same number in each), and nothing
    that could be mistaken for another story: ids, names and part openings are unique."""
    ids: set[str] = set()
    names: dict[str, str] = {}
    heads: dict[str, str] = {}
    for story in library:
        if story.id in ids:
            raise ValueError(f"story id {story.id!r} is used twice")
        ids.add(story.id)
        counts = {lang: len(story.part_list(lang)) for lang in LANGUAGES}
        if len(set(counts.values())) != 1 or not 2 <= counts["zh"] <= 6:
            raise ValueError(f"story {story.id!r}: 2-6 parts in each language, got {counts}")
        for lang in LANGUAGES:
            if not story.aliases.get(lang):
                raise ValueError(f"story {story.id!r} has no {lang} aliases")
            for name in story.names(lang):
                if names.setdefault(name, story.id) != story.id:
                    raise ValueError(f"story name {name!r} is used by {names[name]!r} too")
            for part in story.part_list(lang):
                if not part.strip() or heads.setdefault(part[:HEAD], story.id) != story.id or \
                        sum(p[:HEAD] == part[:HEAD] for p in story.part_list(lang)) > 1:
                    raise ValueError(f"story {story.id!r}: part opening {part[:HEAD]!r} is "
                                     "empty or not unique")
    return library


REQUIRED_LINES = frozenset({
    "greet", "greet_switch", "greet_more", "thread", "listen", "open_question", "listen_short",
    "listen_again", "compound", "ask_time", "ask_date", "identity", "abilities", "needs_llm",
    "question", "relatives_marriage", "relatives_money", "relatives_kids", "identity_persona",
    "thanks", "repeat_prefix", "nothing_to_repeat", "cannot_play",
    "sing", "whisper", "advice", "goodnight", "story_start", "story_more", "story_resume",
    "story_end", "no_story", "story_question", "stop_story", "stop_song",
})
# Intents other parts read as well (the storyteller and the singer stand back on these).
REQUIRED_INTENTS = frozenset({"stop_story", "stop_song"})


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
    absent = REQUIRED_INTENTS - {i.id for i in result.intents}
    if absent:
        raise ValueError(f"companion data {lang}.yaml lacks intents {sorted(absent)}")
    return result


def asks_to_stop(text: str, what: Literal["story", "song"]) -> bool:
    """The caller asks to stop the story (or the song): "别讲了", "我不想听故事了", "stop
    singing", by the companion's `stop_story` / `stop_song` words in either language (callers
    mix them). The storyteller or the singer then stands back and the responder answers."""
    for lang in LANGUAGES:
        said = dialogue(lang)
        words = next(i.any for i in said.intents if i.id == f"stop_{what}")
        if said.matches(words, text):
            return True
    return False


@functools.cache
def stories() -> tuple[Story, ...]:
    data = _read("stories.yaml")
    assert isinstance(data, list)
    return _checked(tuple(Story.model_validate(s) for s in data))
