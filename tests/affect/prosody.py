"""What a listener hears of a speaking style, measured with Praat (not with WORLD, which made
it): median pitch and 10–90% range in semitones, level, and syllables per second of sound;
and which voice a styled voice is."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import parselmouth

from lingxi.audio import Pcm
from lingxi.engines.affect import syllables
from lingxi.engines.tts.prosody import STYLES, styled
from lingxi.interfaces import Voice


@dataclass(frozen=True, slots=True)
class Heard:
    pitch_st: float  # median, semitones re 100 Hz
    range_st: float  # 10–90%
    level_db: float  # median level of the sounding 10 ms frames
    seconds: float  # from the first sound to the last
    rate: float  # syllables per second (first sound to last)


def hear(pcm: Pcm, rate: int, text: str) -> Heard:
    x = pcm.astype(np.float64) / 32768.0
    pitch = parselmouth.Sound(x, sampling_frequency=rate).to_pitch(
        time_step=0.01, pitch_floor=60, pitch_ceiling=600)
    f0 = pitch.selected_array["frequency"]
    st = 12.0 * np.log2(f0[f0 > 0] / 100.0)
    hop = rate // 100
    frames = x[: len(x) // hop * hop].reshape(-1, hop)
    db = 10.0 * np.log10((frames ** 2).mean(axis=1) + 1e-12)
    sounding = np.flatnonzero(db > db.max() - 35.0)
    seconds = (sounding[-1] - sounding[0] + 1) / 100.0
    return Heard(float(np.median(st)), float(np.percentile(st, 90) - np.percentile(st, 10)),
                 float(np.median(db[sounding])), seconds, syllables(text) / seconds)


def livelier(a: Heard, b: Heard) -> bool:
    """The issue's bar: `a` at least 2 semitones higher or a 30% wider range, and faster."""
    return (a.pitch_st - b.pitch_st >= 2.0 or a.range_st >= 1.3 * b.range_st) and a.rate > b.rate


def speaks_as(voice: Voice, base: Voice) -> bool:
    """`voice` is `base` in one of the speaking styles (a reply's clauses vary in style), or,
    for a reply's first clause, in a style's pace and loudness at the base's own pitch."""
    return any(voice in (styled(base, style), dataclasses.replace(
        styled(base, style), pitch=base.pitch, pitch_range=base.pitch_range))
        for style in STYLES)
