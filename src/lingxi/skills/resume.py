"""A false interruption: the caller said only "嗯" / "uh-huh" (or made a short sound that
carried no request) over Lingxi. The barge-in already stopped the reply at once; this picks
it up again from the clause that was cut, instead of answering the sound."""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

from lingxi.companion.data import asks_to_stop
from lingxi.text import has_han
from lingxi.turn.model import Turn, TurnAudio
from lingxi.turn.segments import Say, Segment
from lingxi.turn.skill import Claim, Skill

_NOT_WORDS = re.compile(r"[\s\W_]+")
_WORDS = re.compile(r"[a-z']+")
_FRAME_S = 0.02


@dataclass(frozen=True, slots=True)
class _Data:
    backchannels: frozenset[str]
    lines: dict[str, tuple[str, ...]]
    short_sound_s: float
    short_words: dict[str, int]
    stop_zh: tuple[str, ...]
    stop_en: frozenset[tuple[str, ...]]


def _bare(text: str) -> str:
    return _NOT_WORDS.sub("", text.lower())


@functools.cache
def _data() -> _Data:
    raw = yaml.safe_load(
        resources.files("lingxi.skills").joinpath("data/resume.yaml").read_text("utf-8"))
    words = frozenset(_bare(w) for lang in ("zh", "en") for w in raw["backchannels"][lang])
    lines = {lang: tuple(raw["lines"][lang]) for lang in ("zh", "en")}
    if not all(lines.values()):
        raise ValueError("skills/data/resume.yaml: lines are needed in zh and en")
    stop = raw["stop_words"]
    return _Data(words, lines, float(raw["short_sound_s"]), dict(raw["short_words"]),
                 tuple(stop["zh"]), frozenset(tuple(w.split()) for w in stop["en"]))


def is_backchannel(text: str) -> bool:
    """Only an acknowledgement ("嗯嗯", "uh-huh."), or nothing that was words at all; the
    recogniser may repeat one ("对对对对对", "yeah yeah right"): each part is one then."""
    bare, known = _bare(text), _data().backchannels
    if bare in known or not bare:
        return True
    parts = _WORDS.findall(text.lower()) if not has_han(text) else list(bare)
    return len(parts) > 1 and all(part in known for part in parts)


def asks_or_stops(text: str) -> bool:
    """A question, or "停" / "wait": the caller means to take the turn, however short."""
    if "?" in text or "？" in text or asks_to_stop(text, "story") or asks_to_stop(text, "song"):
        return True
    data = _data()
    if any(word in text for word in data.stop_zh):
        return True
    words = tuple(_WORDS.findall(text.lower()))
    return any(words[i:i + n] in data.stop_en for n in (1, 2, 3) for i in range(len(words)))


def sounding_s(audio: TurnAudio) -> float:
    """How long the caller made a sound: from the first to the last 20 ms frame within 20 dB
    of the loudest (the turn's audio also holds the padding and the closing silence)."""
    frame = max(1, int(audio.sample_rate * _FRAME_S))
    n = len(audio.pcm) // frame
    if n == 0:
        return 0.0
    x = audio.pcm[: n * frame].astype(np.float32).reshape(n, frame) / 32768.0
    rms = np.sqrt(np.mean(x * x, axis=1))
    loud = np.flatnonzero(rms >= max(0.1 * float(rms.max()), 0.002))
    return 0.0 if not len(loud) else float(loud[-1] - loud[0] + 1) * _FRAME_S


def false_interruption(text: str, audio: TurnAudio | None) -> bool:
    """An acknowledgement, or a short sound the recogniser made a stray word or two of
    (short words are what it hears worst: "嗯" comes back as "灯"), that asks nothing."""
    if is_backchannel(text):
        return True
    if audio is None or asks_or_stops(text):
        return False
    data = _data()
    zh = has_han(text)
    size = len(_bare(text)) if zh else len(_WORDS.findall(text.lower()))
    return size <= data.short_words["zh" if zh else "en"] and \
        sounding_s(audio) <= data.short_sound_s


class ResumeAfterBackchannel(Skill):
    name = "resume"

    def claim(self, turn: Turn) -> Claim | None:
        if not turn.cut_short or not false_interruption(turn.text, turn.audio):
            return None
        return Claim(0.9, "only a backchannel over the reply")

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        lines = _data().lines[turn.language]
        line = lines[len(turn.history) % len(lines)]
        # English words need a space between the two sentences ("…saying. There was…").
        yield Say(line if has_han(line) else line + " ")
        yield Say(turn.cut_short)
