"""One call's affect reader: each turn's voice against this caller's own voice, plus the words.

A deep voice is not a sad one: pitch, range, level and rate count only as changes from the
caller's baseline (the median of their earlier turns in this call). The first turn has no
baseline, so only the words and a whisper speak for it.
"""

from __future__ import annotations

import functools
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from lingxi.audio import Pcm
from lingxi.engines.affect.voice import VoiceMeasures, measure
from lingxi.engines.affect.words import CENTRES, WordFeeling, feeling_of
from lingxi.interfaces import Affect, Feeling
from lingxi.text import is_han

_BASELINE_TURNS = 8  # the caller's voice is the median of this many recent turns
_LIVELY = 0.35  # voice arousal beyond ±this names a feeling when the words name none
# How much each change from the baseline moves arousal (a unit each: 3 semitones of pitch,
# 4 semitones more range, 6 dB of level, 1.4× the syllable rate).
_WEIGHTS = {"pitch": 0.35, "range": 0.25, "level": 0.25, "rate": 0.15}


@dataclass(frozen=True, slots=True)
class Heard:
    """A turn's voice measures with its syllable rate (known once the words are)."""

    measures: VoiceMeasures
    rate: float | None  # syllables per second of sound


@dataclass
class CallerAffect:
    """Per call (an `AffectReader`): `listen` (blocking, in a worker), then its judge with
    the words (in turn order; blocking too when `words` is the learned model)."""

    # How the words feel: the lexicon alone, or with the learned model (combine.TextFeeling).
    words: Callable[[str], WordFeeling] = feeling_of
    _past: list[Heard] = field(default_factory=list)

    def listen(self, pcm: Pcm, sample_rate: int) -> Callable[[str], Affect]:
        return functools.partial(self.judge, measure(pcm, sample_rate))

    def read(self, text: str) -> Affect:
        return self.judge(None, text)

    def judge(self, measures: VoiceMeasures | None, text: str) -> Affect:
        """The turn's affect; the voice (if heard) joins the caller's baseline."""
        words = self.words(text)
        if measures is None:
            return Affect(words.label, words.valence, words.arousal)  # type: ignore[arg-type]
        heard = Heard(measures, _rate(text, measures.sounding_s))
        changes = self._changes(heard)
        if not measures.whispering:  # a whisper says nothing of their usual pitch
            self._past = [*self._past, heard][-_BASELINE_TURNS:]
        voice = max(-1.0, min(1.0, sum(_WEIGHTS[k] * v for k, v in changes.items())))
        label: Feeling = words.label  # type: ignore[assignment]
        if label == "neutral" and abs(voice) >= _LIVELY:
            if voice > 0:
                label = "angry" if words.valence < 0 else "happy"
            else:
                label = "sad" if changes.get("pitch", 0.0) < 0 and changes.get(
                    "range", 0.0) < 0 else "tired"
        valence = words.valence if words.label != "neutral" else CENTRES[label][0] * 0.5
        arousal = max(-1.0, min(1.0, 0.6 * words.arousal + 0.7 * voice))
        return Affect(label, round(valence, 3), round(arousal, 3), measures.whispering,
                      _cues(changes, measures), from_voice=True)

    def _changes(self, heard: Heard) -> dict[str, float]:
        """This turn against the baseline, each in units of a clear change (0: as usual)."""
        m = heard.measures
        if m.whispering or not self._past:
            return {}
        out: dict[str, float] = {}
        pitch = _median([h.measures.pitch_st for h in self._past])
        if m.pitch_st is not None and pitch is not None:
            out["pitch"] = (m.pitch_st - pitch) / 3.0
        spread = _median([h.measures.range_st for h in self._past])
        if m.range_st is not None and spread is not None:
            # In semitones, not as a ratio: a near-monotone voice's range (0.5 st) doubles
            # by chance from one sentence to the next.
            out["range"] = (m.range_st - spread) / 4.0
        level = _median([h.measures.level_db for h in self._past])
        if level is not None:
            out["level"] = (m.level_db - level) / 6.0
        rate = _median([h.rate for h in self._past])
        if heard.rate and rate:
            out["rate"] = math.log2(heard.rate / rate) * 2.0
        return {k: max(-2.0, min(2.0, v)) for k, v in out.items()}


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def syllables(text: str) -> int:
    """Syllables in the words: one per Han character, vowel groups in other words."""
    han = sum(1 for ch in text if is_han(ch))
    latin = "".join(ch if ch.isascii() and ch.isalpha() else " " for ch in text.lower())
    groups = sum(max(1, sum(1 for i, ch in enumerate(w) if ch in "aeiouy" and (
        i == 0 or w[i - 1] not in "aeiouy"))) for w in latin.split())
    return han + groups


def _rate(text: str, sounding_s: float) -> float | None:
    count = syllables(text)
    return count / sounding_s if count >= 3 and sounding_s > 0 else None


# A change this large (in the units of `_changes`) is worth telling the brain about.
_CUE_AT = 0.5


def _cues(changes: dict[str, float], m: VoiceMeasures) -> tuple[str, ...]:
    cues = ["whisper"] if m.whispering else []
    for key, low, high in (("pitch", "pitch_low", "pitch_high"), ("range", "flat", "lively"),
                           ("level", "soft", "loud"), ("rate", "slow", "fast")):
        value = changes.get(key, 0.0)
        if value <= -_CUE_AT:
            cues.append(low)
        elif value >= _CUE_AT:
            cues.append(high)
    if m.pauses >= 3 and m.pause_share > 0.3:
        cues.append("pauses")
    return tuple(cues)
