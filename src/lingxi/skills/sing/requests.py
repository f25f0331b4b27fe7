"""What the caller asks of the singer, read from the turn's words and its history.

Nothing is stored between turns: which song was sung, where it was cut, and how fast and how
high it goes are all derived from the history, which keeps only what the caller heard.
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

from lingxi.companion.data import asks_to_stop
from lingxi.interfaces import ChatMessage
from lingxi.skills.resume import is_backchannel
from lingxi.skills.sing.library import Language, Song, library
from lingxi.skills.sing.parody import parody_request, theme_words

Patterns = tuple[re.Pattern[str], ...]
_MIN_HEARD = 2  # characters of a sung line that identify it in the history
_TEMPO_RANGE = (0.5, 2.0)
_KEY_RANGE = (-7, 7)


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ByLanguage(_Data):
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()


class _Probe(_Data):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _Protected(_Data):
    names: tuple[str, ...] = Field(min_length=1)
    title: str


class _Lines(_Data):
    protected: str
    unknown: str
    finished: str
    nothing: str


class _Requests(_Data):
    sing: _ByLanguage
    others: _ByLanguage
    title: _ByLanguage
    any_song: _ByLanguage
    switch: _ByLanguage
    resume: _ByLanguage
    again: _ByLanguage
    faster: _ByLanguage
    slower: _ByLanguage
    higher: _ByLanguage
    lower: _ByLanguage
    tempo_step: float = Field(gt=1.0, le=2.0)
    key_step: int = Field(ge=1, le=7)
    protected: tuple[_Protected, ...]
    lines: dict[Literal["zh", "en"], _Lines]
    voice_probe: _Probe


@dataclass(frozen=True, slots=True)
class _Compiled:
    raw: _Requests
    patterns: dict[str, Patterns]


@functools.cache
def _data() -> _Compiled:
    text = resources.files("lingxi.skills.sing").joinpath("data/requests.yaml").read_text("utf-8")
    raw = _Requests.model_validate(yaml.safe_load(text))
    keys = ("sing", "others", "title", "any_song", "switch", "resume", "again", "faster",
            "slower", "higher", "lower")
    patterns = {k: tuple(re.compile(p, re.I) for lang in ("zh", "en")
                         for p in getattr(getattr(raw, k), lang)) for k in keys}
    return _Compiled(raw, patterns)


def _says(kind: str, text: str) -> bool:
    return any(p.search(text) for p in _data().patterns[kind])


def voice_probe(language: str) -> str:
    """A sentence that shows where a voice's pitch sits in `language`."""
    probe = _data().raw.voice_probe
    return probe.zh if language == "zh" else probe.en


def lines(language: str) -> _Lines:
    return _data().raw.lines["zh" if language == "zh" else "en"]


@dataclass(frozen=True, slots=True)
class Heard:
    """The last sung reply, as the caller heard it."""

    song: Song
    start: int  # the phrase it started at
    next: int  # the first phrase not heard in full (where "接着唱" picks up)

    @property
    def finished(self) -> bool:
        return self.next >= len(self.song.phrases)


def last_sung(history: Sequence[ChatMessage]) -> Heard | None:
    """The last assistant reply, if it was a song: which one, and how far it got."""
    said = next((m.text for m in reversed(history) if m.role == "assistant"), None)
    if not said:
        return None
    best: tuple[int, Heard] | None = None
    for song in library():
        captions = song.captions()
        for start in range(len(captions)):
            at = said.find(captions[start][:_MIN_HEARD])
            if at < 0:
                continue
            heard = said[at:].rstrip()
            if len(heard) < _MIN_HEARD or not "".join(captions[start:]).startswith(heard):
                continue
            done, length = start, 0
            while done < len(captions) and length + len(captions[done].rstrip()) <= len(heard):
                length += len(captions[done])
                done += 1
            if best is None or len(heard) > best[0]:
                best = (len(heard), Heard(song, start, done))
    return best[1] if best else None


@dataclass(frozen=True, slots=True)
class Request:
    """What this turn asks for."""

    kind: Literal["sing", "resume", "parody", "protected", "unknown", "finished", "nothing"]
    song: Song | None = None
    start: int = 0
    tempo: float = 1.0
    semitones: int = 0
    title: str = ""  # what the caller called a song Lingxi cannot sing; a parody's theme
    words: Language = "zh"  # a parody's language (the request's, whatever the tune's)


def _adjustment(text: str) -> tuple[float, int]:
    raw = _data().raw
    tempo = raw.tempo_step ** (_says("faster", text) - _says("slower", text))
    return tempo, raw.key_step * (_says("higher", text) - _says("lower", text))


def _adjusts(text: str) -> bool:
    return any(_says(k, text) for k in ("faster", "slower", "higher", "lower"))


def settings_so_far(history: Sequence[ChatMessage]) -> tuple[float, int]:
    """Tempo factor and key change asked for since the current song was requested: every
    "快一点"/"高一点" after the request (and in it) counts, so "再快一点" goes faster still."""
    tempo, semitones = 1.0, 0
    for message in reversed(history):
        if message.role != "user":
            continue
        t, k = _adjustment(message.text)
        tempo, semitones = tempo * t, semitones + k
        if not (_says("resume", message.text) or _adjusts(message.text)) or \
                named_song(message.text, "zh") or named_song(message.text, "en"):
            break
    return tempo, semitones


def named_song(text: str, language: str) -> Song | None:
    """The built-in song the words name, preferring one in the caller's language."""
    lowered = text.lower()
    named = [s for s in library() if any(a.lower() in lowered for a in s.aliases)]
    named.sort(key=lambda s: (s.language != language,
                              -max(len(a) for a in s.aliases if a.lower() in lowered)))
    return named[0] if named else None


def _protected(text: str) -> str | None:
    lowered = text.lower()
    return next((p.title for p in _data().raw.protected
                 if any(n.lower() in lowered for n in p.names)), None)


def _title(text: str) -> str | None:
    for pattern in _data().patterns["title"]:
        m = pattern.search(text)
        if m and m.group(1).strip():
            return m.group(1).strip(" 　。，！？?!.,")
    return None


def pick(language: str, turn_count: int, besides: Song | None = None) -> Song:
    """A song in the caller's language, a different one each time it is asked."""
    songs = [s for s in library() if s.language == language and s is not besides] or \
        [s for s in library() if s is not besides]
    return songs[turn_count % len(songs)]


def _clamped(tempo: float, semitones: int) -> tuple[float, int]:
    return (min(max(tempo, _TEMPO_RANGE[0]), _TEMPO_RANGE[1]),
            min(max(semitones, _KEY_RANGE[0]), _KEY_RANGE[1]))


def read(text: str, language: str, history: Sequence[ChatMessage], *,
         cut_short: bool = False) -> Request | None:
    """The request in this turn (`history` ends before it), or None if it is not one.
    `cut_short`: the caller spoke over the last reply."""
    if cut_short and is_backchannel(text):
        # Only "嗯" over a song: sing on from the cut line (not speak the rest of the words).
        heard = last_sung(history)
        if heard is None or heard.finished:
            return None
        tempo, semitones = _clamped(*settings_so_far(history))
        return Request("resume", heard.song, heard.next, tempo, semitones)
    if asks_to_stop(text, "song") and not _says("switch", text):
        return None  # "别唱了" / "stop singing": the responder's (not a song called "了")
    parody = parody_request(text)
    if parody is not None:
        tune = named_song(parody.song_words, parody.language)
        theme = theme_words(parody.theme, parody.language)
        if tune is not None and theme:
            return Request("parody", tune, title=theme, words=parody.language)
    if _says("others", text) and not _says("resume", text):
        return None
    heard = last_sung(history)
    wants_song = _says("sing", text)
    named = named_song(text, language)
    if heard is not None and not named and (
            _says("resume", text) or _says("again", text) or _adjusts(text)) and not (
            _says("switch", text)):
        tempo, semitones = settings_so_far((*history, ChatMessage("user", text)))
        tempo, semitones = _clamped(tempo, semitones)
        if _says("again", text):
            return Request("sing", heard.song, 0, tempo, semitones)
        if heard.finished and not _adjusts(text):
            return Request("finished", heard.song)
        start = 0 if heard.finished else heard.next
        return Request("resume", heard.song, start, tempo, semitones)
    if heard is None and _says("resume", text) and not named:
        return Request("nothing")
    switching = _says("switch", text) and (heard is not None or wants_song)
    if not (wants_song or switching):
        return None
    tempo, semitones = _clamped(*_adjustment(text))
    if named is not None:
        return Request("sing", named, 0, tempo, semitones)
    protected = _protected(text)
    if protected is not None:
        return Request("protected", title=protected)
    if switching or _says("any_song", text):
        besides = heard.song if heard is not None else None
        return Request("sing", pick(language, len(history), besides), 0, tempo, semitones)
    title = _title(text)
    if title is not None:
        return Request("unknown", title=title)
    return Request("sing", pick(language, len(history)), 0, tempo, semitones)
