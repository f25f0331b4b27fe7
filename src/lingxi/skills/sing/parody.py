"""Parody: "把小星星改成关于加班的" / "change Twinkle Twinkle into a song about homework" → new
words for the same tune, exactly one sung syllable per note-group of every line (a Han
character in Chinese, a syllable as `lingxi.text.english_syllables` cuts it in English), so
the song is sung note for note as written.

This module holds what needs no model: reading the request, counting and cutting words into
sung syllables, the offline lines (the theme plus fillers from `data/parody.yaml`) and putting
new words on a tune. `lyricist.py` asks a language model and falls back to these.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from lingxi.skills.sing.library import MELISMA, Language, Phrase, Song, Titles
from lingxi.text import HAN, count_english_syllables, english_syllables, english_words

_LONGEST_THEME = 4  # sung syllables: a longer theme is cut (it must fit a line with room left)
Shape = Literal["theme_first", "fillers", "fillers_then_theme"]
Units = tuple[str, ...]  # a line's sung syllables, each a lyric token ("home-", "work")


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Request(_Data):
    zh: tuple[str, ...] = Field(min_length=1)
    en: tuple[str, ...] = Field(min_length=1)


class _Lines(_Data):
    sung_as: str


class _Example(_Data):
    ask: str
    answer: str


class Prompts(_Data):
    example: _Example
    system: str
    ask: str
    counts: str
    repair: str
    error: str


class _Parody(_Data):
    request: _Request
    fillers: dict[Language, dict[int, tuple[str, ...]]]
    shapes: tuple[Shape, ...] = Field(min_length=1)
    lines: dict[Language, _Lines]
    model: dict[Language, Prompts]


@dataclass(frozen=True, slots=True)
class _Compiled:
    raw: _Parody
    requests: tuple[tuple[Language, re.Pattern[str]], ...]


@functools.cache
def _data() -> _Compiled:
    text = resources.files("lingxi.skills.sing").joinpath("data/parody.yaml").read_text("utf-8")
    raw = _Parody.model_validate(yaml.safe_load(text))
    for language, fillers in raw.fillers.items():
        for length in range(1, max(fillers) + 1):
            said = fillers.get(length, ())
            if not said or any(count(f, language) != length or
                               (language == "zh" and len(f) != length) for f in said):
                raise ValueError(f"skills/sing/data/parody.yaml: {language} fillers of length "
                                 f"{length} must exist and be exactly {length} syllables")
    languages: tuple[Language, ...] = ("zh", "en")
    requests = tuple((language, re.compile(p, re.I)) for language in languages
                     for p in getattr(raw.request, language))
    return _Compiled(raw, requests)


def lines(language: str) -> _Lines:
    return _data().raw.lines["zh" if language == "zh" else "en"]


def prompts(language: str) -> Prompts:
    """What a language model is asked for words in `language`."""
    return _data().raw.model["zh" if language == "zh" else "en"]


def count(text: str, language: str) -> int:
    """Sung syllables in `text`: Han characters in Chinese, syllables in English."""
    return len(HAN.findall(text)) if language == "zh" else count_english_syllables(text)


def units(text: str, language: str) -> Units:
    """`text` as sung syllables, each a lyric token: a word cut in English ("home-", "work")."""
    if language == "zh":
        return tuple(HAN.findall(text))
    out: list[str] = []
    for word in english_words(text):
        pieces = english_syllables(word)
        out += [p + "-" for p in pieces[:-1]] + pieces[-1:]
    return tuple(out)


def word_ends(line: Units) -> list[int]:
    """Where each word of a line ends (a Chinese character is a word of its own)."""
    return [i + 1 for i, u in enumerate(line) if not u.endswith("-")]


@dataclass(frozen=True, slots=True)
class ParodyRequest:
    song_words: str  # how the caller named the tune
    theme: str
    language: Language  # the language of the request, and of the new words


def parody_request(text: str) -> ParodyRequest | None:
    for language, pattern in _data().requests:
        m = pattern.search(text)
        if m:
            return ParodyRequest(m.group("song").strip("《》\"' "), m.group("theme").strip(),
                                 language)
    return None


def theme_words(theme: str, language: str = "zh") -> str:
    """The theme as it is sung: at most _LONGEST_THEME syllables of it (whole words)."""
    if language == "zh":
        return "".join(HAN.findall(theme.removeprefix("关于")))[:_LONGEST_THEME]
    kept: list[str] = []
    for word in english_words(theme.lower()):
        if count(" ".join([*kept, word]), "en") > _LONGEST_THEME:
            break
        kept.append(word)
    return " ".join(kept)


def fill(length: int, seed: int, language: str = "zh") -> Units:
    """Fillers adding up to exactly `length` sung syllables."""
    fillers = _data().raw.fillers["zh" if language == "zh" else "en"]
    longest = max(fillers)
    out: list[str] = []
    while len(out) < length:
        take = min(longest, length - len(out))
        choices = fillers[take]
        out += units(choices[(seed + len(out)) % len(choices)], language)
    return tuple(out)


def line(syllables: int, theme: str, index: int, language: str = "zh") -> Units:
    """An offline line of exactly `syllables` sung syllables about `theme`."""
    shape = _data().raw.shapes[index % len(_data().raw.shapes)]
    sung = units(theme, language)
    room = syllables - len(sung)
    if shape == "fillers" or room < 0 or not sung:
        return fill(syllables, index, language)
    if shape == "theme_first":
        return sung + fill(room, index, language)
    return fill(room, index, language) + sung


def syllables_per_phrase(song: Song) -> list[int]:
    return [sum(t != MELISMA for t in p.lyrics.split()) for p in song.phrases]


def offline_words(song: Song, theme: str, language: str) -> list[Units]:
    return [line(n, theme, i, language) for i, n in enumerate(syllables_per_phrase(song))]


def rewrite(song: Song, theme: str, language: Language = "zh",
            words: Sequence[Units] | None = None, *, by: str = "") -> Song:
    """The same tune with new words about `theme` (offline ones unless `words` are given,
    one `Units` per phrase of exactly its sung syllables), validated like any song."""
    words = words if words is not None else offline_words(song, theme, language)
    phrases = []
    for p, n, new in zip(song.phrases, syllables_per_phrase(song), words, strict=True):
        if len(new) != n:
            raise ValueError(f"{len(new)} syllables for the {n} of {p.lyrics!r}")
        sung = iter(new)
        lyrics = " ".join(t if t == MELISMA else next(sung) for t in p.lyrics.split())
        phrases.append(Phrase(notes=p.notes, lyrics=lyrics, breath=p.breath))
    name = song.title.zh.split("（")[0]
    return song.model_copy(update={
        "language": language, "phrases": tuple(phrases),
        "title": Titles(zh=f"{name}（{theme}版）", en=f"{song.title.en} ({theme})"),
        "words": by or "written offline from templates (skills/sing/data/parody.yaml)"})
