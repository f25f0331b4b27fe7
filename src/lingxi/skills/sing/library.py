"""The song library: validated data (`data/songs/*.yaml`), one public-domain tune per file.

A phrase is written as two parallel lists: notes ("G4:2" is G above middle C for two beats)
and lyrics (one syllable per note; "~" carries the syllable before it onto the next note).
Validation checks that they line up, so a typo fails on load, not mid-song.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Language = Literal["zh", "en"]
MELISMA = "~"
_NOTE = re.compile(r"^([A-G])([#b]?)(-?\d)(?::(\d+(?:\.\d+)?))?$")
_STEP = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


class SongDataError(ValueError):
    """A song file that does not validate; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Note:
    midi: int  # 60 = middle C
    beats: float
    syllable: int  # index of the syllable (in the phrase) this note sings


@dataclass(frozen=True, slots=True)
class Syllable:
    text: str  # as written in the caption ("Twin-")
    say: str  # as handed to the voice ("twin")


def parse_note(token: str) -> tuple[int, float]:
    """"G4:2" → (67, 2.0); the duration defaults to one beat."""
    m = _NOTE.match(token)
    if m is None:
        raise ValueError(f"not a note: {token!r} (expected e.g. C4, F#4:0.5, Bb3:2)")
    letter, accidental, octave, beats = m.groups()
    shift = {"#": 1, "b": -1, "": 0}[accidental]
    return 12 * (int(octave) + 1) + _STEP[letter] + shift, float(beats or 1.0)


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Titles(_Data):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Phrase(_Data):
    notes: str = Field(min_length=1)
    lyrics: str = Field(min_length=1)
    say: str | None = None  # how the syllables are spoken, when the lyrics would mislead
    breath: bool = True  # a breath after the phrase (not after the song's last)

    @model_validator(mode="after")
    def _aligned(self) -> Phrase:
        notes = [parse_note(t) for t in self.notes.split()]
        lyrics = self.lyrics.split()
        if len(notes) != len(lyrics):
            raise ValueError(f"{len(notes)} notes but {len(lyrics)} lyric tokens in "
                             f"{self.lyrics!r}")
        if lyrics[0] == MELISMA:
            raise ValueError(f"a phrase cannot start with a slur: {self.lyrics!r}")
        sung = [t for t in lyrics if t != MELISMA]
        if self.say is not None and len(self.say.split()) != len(sung):
            raise ValueError(f"'say' has {len(self.say.split())} syllables, the lyrics "
                             f"{len(sung)}: {self.say!r}")
        if any(beats <= 0 for _, beats in notes):
            raise ValueError(f"a note without duration in {self.notes!r}")
        return self

    def syllables(self) -> list[Syllable]:
        sung = [t for t in self.lyrics.split() if t != MELISMA]
        spoken = self.say.split() if self.say else [_spoken(t) for t in sung]
        return [Syllable(t, s) for t, s in zip(sung, spoken, strict=True)]

    def score(self) -> list[Note]:
        out: list[Note] = []
        syllable = -1
        for token, lyric in zip(self.notes.split(), self.lyrics.split(), strict=True):
            midi, beats = parse_note(token)
            syllable += lyric != MELISMA
            out.append(Note(midi, beats, syllable))
        return out

    def caption(self, language: str) -> str:
        """The lyric line as a person would write it."""
        sung = [t for t in self.lyrics.split() if t != MELISMA]
        if language == "zh":
            return "".join(sung)
        words = ""
        for token in sung:
            # "Twin-" joins the next syllable; "one--" keeps a real hyphen ("one-horse").
            words += token[:-1] if token.endswith("-") else token + " "
        return words.strip()


class Song(_Data):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,39}$")
    language: Language
    title: Titles
    aliases: tuple[str, ...] = Field(min_length=1)
    key: str = Field(pattern=r"^[A-G][#b]?m?$")  # as written; the singer moves it to the voice
    tempo: float = Field(gt=30, le=240)  # beats per minute
    tune: str = Field(min_length=1)  # where the melody comes from
    words: str = Field(min_length=1)  # where the words come from
    licence: str = Field(min_length=1)
    phrases: tuple[Phrase, ...] = Field(min_length=1)

    def name(self, language: str) -> str:
        return self.title.zh if language == "zh" else self.title.en

    def captions(self) -> list[str]:
        """Each phrase's caption as it is heard in the transcript: a line with its ending
        punctuation, so the lines of a reply read as a verse when joined."""
        last = len(self.phrases) - 1
        if self.language == "zh":
            return [p.caption("zh") + ("。" if i == last else "，")
                    for i, p in enumerate(self.phrases)]
        return [p.caption("en") + ("" if i == last else " ") for i, p in enumerate(self.phrases)]


def _spoken(token: str) -> str:
    return token.strip(",.!?;:\"'").rstrip("-").lower() or token


@functools.cache
def library() -> tuple[Song, ...]:
    """Every built-in song, validated (cached: read once per process)."""
    folder = resources.files("lingxi.skills.sing").joinpath("data/songs")
    songs: list[Song] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        try:
            songs.append(Song.model_validate(yaml.safe_load(entry.read_text("utf-8"))))
        except ValidationError as e:
            raise SongDataError(f"skills/sing/data/songs/{entry.name}: {e}") from e
    ids = [s.id for s in songs]
    if len(set(ids)) != len(ids):
        raise SongDataError(f"two songs share an id: {sorted(ids)}")
    return tuple(songs)


def song(song_id: str) -> Song:
    return next(s for s in library() if s.id == song_id)
