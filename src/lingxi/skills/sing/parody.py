"""Offline parody: "把小星星改成关于加班的" → new Chinese words for the same tune, exactly one
Han character per sung syllable of every line, so the song is sung note for note as written.

Without a language model the words come from templates (`data/parody.yaml`): the theme, plus
ordinary fillers of exactly the lengths a line needs. Simple, but never off the beat.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from lingxi.skills.sing.library import MELISMA, Phrase, Song, Titles

_LONGEST_THEME = 4  # characters: a longer theme is cut (it must fit a line with room left)
_HAN = re.compile(r"[\u4e00-\u9fff]")
Shape = Literal["theme_first", "fillers", "fillers_then_theme"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Request(_Data):
    zh: tuple[str, ...] = Field(min_length=1)


class _Lines(_Data):
    sung_as: str
    english: str


class _Parody(_Data):
    request: _Request
    fillers: dict[int, tuple[str, ...]]
    shapes: tuple[Shape, ...] = Field(min_length=1)
    lines: dict[Literal["zh", "en"], _Lines]


@dataclass(frozen=True, slots=True)
class _Compiled:
    raw: _Parody
    requests: tuple[re.Pattern[str], ...]


@functools.cache
def _data() -> _Compiled:
    text = resources.files("lingxi.skills.sing").joinpath("data/parody.yaml").read_text("utf-8")
    raw = _Parody.model_validate(yaml.safe_load(text))
    longest = max(raw.fillers)
    for length in range(1, longest + 1):
        said = raw.fillers.get(length, ())
        if not said or any(len(_HAN.findall(f)) != length or len(f) != length for f in said):
            raise ValueError(f"skills/sing/data/parody.yaml: fillers of length {length} must "
                             f"exist and be exactly {length} Han characters")
    return _Compiled(raw, tuple(re.compile(p) for p in raw.request.zh))


def lines(language: str) -> _Lines:
    return _data().raw.lines["zh" if language == "zh" else "en"]


@dataclass(frozen=True, slots=True)
class ParodyRequest:
    song_words: str  # how the caller named the tune
    theme: str


def parody_request(text: str) -> ParodyRequest | None:
    for pattern in _data().requests:
        m = pattern.search(text)
        if m:
            return ParodyRequest(m.group("song").strip("《》\"' "), m.group("theme"))
    return None


def theme_words(theme: str) -> str:
    """The theme as it is sung: its Han characters, at most _LONGEST_THEME of them."""
    return "".join(_HAN.findall(theme.removeprefix("关于")))[:_LONGEST_THEME]


def _fill(length: int, seed: int) -> str:
    """Fillers adding up to exactly `length` characters."""
    fillers, longest = _data().raw.fillers, max(_data().raw.fillers)
    out = ""
    while len(out) < length:
        take = min(longest, length - len(out))
        choices = fillers[take]
        out += choices[(seed + len(out)) % len(choices)]
    return out


def line(syllables: int, theme: str, index: int) -> str:
    """A line of exactly `syllables` Han characters about `theme`."""
    shape = _data().raw.shapes[index % len(_data().raw.shapes)]
    room = syllables - len(theme)
    if shape == "fillers" or room < 0 or not theme:
        return _fill(syllables, index)
    if shape == "theme_first":
        return theme + _fill(room, index)
    return _fill(room, index) + theme


def rewrite(song: Song, theme: str) -> Song:
    """The same tune with new words about `theme` (validated like any song)."""
    phrases = []
    for i, p in enumerate(song.phrases):
        tokens = p.lyrics.split()
        words = iter(line(sum(t != MELISMA for t in tokens), theme, i))
        lyrics = " ".join(t if t == MELISMA else next(words) for t in tokens)
        phrases.append(Phrase(notes=p.notes, lyrics=lyrics, breath=p.breath))
    name = song.title.zh.split("（")[0]
    return song.model_copy(update={
        "language": "zh", "phrases": tuple(phrases),
        "title": Titles(zh=f"{name}（{theme}版）", en=f"{song.title.en} ({theme})"),
        "words": "written offline from templates (skills/sing/data/parody.yaml)"})
