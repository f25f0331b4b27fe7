"""Sung audio measured against its score with an independent pitch tracker (Praat, through
parselmouth), never with the WORLD analysis that made it: per-note pitch error in cents after
the best key shift, and note onsets against the score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import parselmouth

from lingxi.skills.sing.library import Song
from lingxi.skills.sing.voice import LEAD_MS

WINDOW_MS = 80.0  # an onset is looked for this far either side of its beat


@dataclass(frozen=True, slots=True)
class ScoredNote:
    midi: int
    start_ms: float  # in the audio: the first phrase's lead-in included
    end_ms: float
    fresh: bool  # a new syllable (not a slur)


@dataclass(frozen=True, slots=True)
class Measured:
    cents: list[float]  # per note, after the best key shift
    shift_cents: float  # the best key shift (a whole number of octaves, near enough)
    onsets_ms: list[float]  # per measurable onset: measured − score
    notes: int

    @property
    def median_cents(self) -> float:
        return float(np.median(np.abs(self.cents)))

    @property
    def median_onset_ms(self) -> float:
        return float(np.median(np.abs(self.onsets_ms)))

    @property
    def onsets_within(self) -> float:
        """Share of the measurable onsets within 30 ms of the score."""
        return float(np.mean(np.abs(self.onsets_ms) <= 30.0))


def score(song: Song, phrases: Sequence[int], tempo: float = 1.0) -> list[ScoredNote]:
    """The notes of these phrases (consecutive), timed as the singer's audio lays them out."""
    beat_ms = 60_000.0 / (song.tempo * tempo)
    out, at = [], LEAD_MS
    for i in phrases:
        previous = -1
        for n in song.phrases[i].score():
            out.append(ScoredNote(n.midi, at, at + n.beats * beat_ms, n.syllable != previous))
            previous = n.syllable
            at += n.beats * beat_ms
    return out


def measure(pcm: np.ndarray, rate: int, notes: Sequence[ScoredNote]) -> Measured:
    x = pcm.astype(np.float64) / 32768.0
    pitch = parselmouth.Sound(x, sampling_frequency=rate).to_pitch(
        time_step=0.005, pitch_floor=70, pitch_ceiling=900)
    t = np.asarray(pitch.xs()) * 1000.0
    f0 = pitch.selected_array["frequency"]
    voiced = f0 > 0
    midi = np.where(voiced, 69.0 + 12.0 * np.log2(np.maximum(f0, 1e-9) / 440.0), np.nan)
    errors: list[float] = []
    for n in notes:
        span = n.end_ms - n.start_ms
        inside = (t >= n.start_ms + 0.25 * span) & (t <= n.end_ms - 0.25 * span) & voiced
        errors.append(float(np.median(midi[inside]) - n.midi) * 100.0 if inside.any()
                      else np.nan)
    sung = np.array(errors)
    heard = sung[~np.isnan(sung)]
    shift = float(np.median(heard)) if len(heard) else 0.0
    # A note with no pitch at all counts as a full semitone out.
    cents = [float(e - shift) if not np.isnan(e) else 100.0 for e in sung]
    onsets: list[float] = []
    for i, n in enumerate(notes):
        near = np.abs(t - n.start_ms) <= WINDOW_MS
        idx = np.flatnonzero(near)
        starts = [k for k in idx if k and voiced[k] and not voiced[k - 1]]
        if n.fresh and starts:
            k = min(starts, key=lambda k: abs(t[k] - n.start_ms))
            onsets.append(float(t[k] - n.start_ms))
        elif i and abs(n.midi - notes[i - 1].midi) >= 1:
            middle = (n.midi + notes[i - 1].midi) / 2 + shift / 100.0
            above = n.midi > notes[i - 1].midi
            cross = [k for k in idx if voiced[k] and (midi[k] >= middle if above
                                                      else midi[k] <= middle)]
            if cross:
                onsets.append(float(t[cross[0]] - n.start_ms))
    return Measured(cents, shift, onsets, len(notes))
