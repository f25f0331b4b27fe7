"""The singing voice: each syllable spoken by the persona's own voice, then put on its note
with WORLD (pyworld): the spoken pitch is replaced by the note's, the vowel is stretched to
the note's length, the consonant before it is kept short and placed just before the beat
(so the vowel, where a listener hears the note, lands on it).

A phrase is rendered as one WORLD synthesis, so notes join without clicks. Every phrase's
audio starts LEAD_MS before its first beat and ends LEAD_MS before the next phrase's, so
phrases played back to back keep the score's timing exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lingxi.audio import Pcm
from lingxi.skills.sing.library import Note

F64 = npt.NDArray[np.float64]
FRAME_MS = 5.0
CONSONANT_MS = 60.0  # a consonant longer than this is cut to its last 60 ms
LEAD_MS = CONSONANT_MS  # where the first beat lies in a phrase's audio
TAIL_MS = 40.0  # a syllable's final consonant ("bells") kept at most this long
KEEP_MS = 30.0  # the vowel's first and last 30 ms keep their speed (the transitions)
GLIDE_MS = 40.0  # legato: the pitch moves between notes over this, centred on the beat
SCOOP_CENTS = -30.0  # a sung onset starts a little under the note...
SCOOP_MS = 40.0  # ...and reaches it this fast
VIBRATO_AFTER_MS = 300.0  # only long notes get vibrato, after they have settled
VIBRATO_CENTS = 20.0  # depth, each side (light)
VIBRATO_HZ = 5.5
BREATH_MS = 140.0
BREATH_DB = -30.0  # a breath is the vowel's envelope as noise, this much quieter
FORCED_APERIODICITY = 0.05  # frames made voiced must stay periodic, or dio-based
# resynthesis leaves some syllables unpitched (measured: OFFLINE_MODELS.md).
SILENCE_DB = -35.0  # trimmed from each spoken syllable's edges, relative to its peak
# The envelope is kept coded (WORLD's mel-cepstral coding, this many dimensions) rather than
# as 513 bins a frame: a cached syllable is ~50 kB instead of ~800 kB.
ENVELOPE_DIMS = 60
CODED_AP_RATE = 16_000  # WORLD codes aperiodicity in 3 kHz bands: none fit below ~12 kHz


@dataclass(frozen=True, slots=True)
class SpokenSyllable:
    """WORLD's analysis of one syllable as the voice spoke it, trimmed of silence."""

    f0: F64  # Hz per frame, 0 where unvoiced
    envelope: F64  # (frames, ENVELOPE_DIMS), coded
    aperiodicity: F64  # (frames, bands), coded; bin by bin below CODED_AP_RATE
    voiced_from: int  # first voiced frame: before it, the onset consonant
    voiced_to: int  # one past the last voiced frame: after it, the final consonant
    rate: int

    def decoded(self) -> tuple[F64, F64]:
        """The envelope and aperiodicity, bin by bin, as WORLD synthesises them."""
        import pyworld

        size = pyworld.get_cheaptrick_fft_size(self.rate)
        ap = self.aperiodicity if self.rate < CODED_AP_RATE else \
            pyworld.decode_aperiodicity(self.aperiodicity, self.rate, size)
        return pyworld.decode_spectral_envelope(self.envelope, self.rate, size), ap

    @property
    def median_hz(self) -> float:
        voiced = self.f0[self.f0 > 0]
        return float(np.median(voiced)) if len(voiced) else 0.0


def analyse(pcm: Pcm, rate: int) -> SpokenSyllable:
    """Blocking: WORLD analysis of a spoken syllable."""
    import pyworld

    x = pcm.astype(np.float64) / 32768.0
    x = _trimmed(x, rate)
    if len(x) < rate * 4 * FRAME_MS / 1000:  # nothing said: one quiet vowel frame
        x = np.concatenate([x, np.zeros(int(rate * 0.02))])
    f0, t = pyworld.dio(x, rate, f0_floor=60.0, f0_ceil=700.0, frame_period=FRAME_MS)
    f0 = pyworld.stonemask(x, f0, t, rate)
    envelope = pyworld.cheaptrick(x, f0, t, rate)
    aperiodicity = pyworld.d4c(x, f0, t, rate)
    voiced = np.flatnonzero(f0 > 0)
    if len(voiced):
        start, end = int(voiced[0]), int(voiced[-1]) + 1
    else:  # a whispered or clipped syllable: sing the whole of it
        start, end = 0, len(f0)
    if rate >= CODED_AP_RATE:
        aperiodicity = pyworld.code_aperiodicity(aperiodicity, rate)
    return SpokenSyllable(f0, pyworld.code_spectral_envelope(envelope, rate, ENVELOPE_DIMS),
                          aperiodicity, start, end, rate)


def _trimmed(x: F64, rate: int) -> F64:
    hop = max(1, int(rate * FRAME_MS / 1000))
    if len(x) < hop:
        return x
    frames = len(x) // hop
    level = np.sqrt(np.mean(x[: frames * hop].reshape(frames, hop) ** 2, axis=1))
    loud = np.flatnonzero(level > level.max() * 10 ** (SILENCE_DB / 20))
    if not len(loud):
        return x
    return x[int(loud[0]) * hop: (int(loud[-1]) + 1) * hop]


@dataclass(frozen=True, slots=True)
class PlacedNote:
    """A note as the singer places it: its pitch (already in the singer's key) and its
    beat in the phrase's audio (ms, LEAD_MS for the first)."""

    midi: float
    start_ms: float
    end_ms: float
    syllable: int  # which spoken syllable it sings


def place(notes: Sequence[Note], tempo: float, semitones: float) -> list[PlacedNote]:
    beat_ms = 60_000.0 / tempo
    out, at = [], LEAD_MS
    for n in notes:
        out.append(PlacedNote(n.midi + semitones, at, at + n.beats * beat_ms, n.syllable))
        at += n.beats * beat_ms
    return out


def _frames(ms: float) -> int:
    return round(ms / FRAME_MS)


def _stretch(count: int, target: int) -> npt.NDArray[np.intp]:
    """Frame indices that turn `count` spoken vowel frames into `target` sung ones: the
    transitions at both ends keep their speed, the steady middle is stretched (or the whole
    squeezed when the note is shorter than the spoken vowel)."""
    keep = min(_frames(KEEP_MS), count // 3)
    if target <= 2 * keep or count - 2 * keep < 1:
        return np.round(np.linspace(0, count - 1, max(target, 0))).astype(np.intp)
    middle = np.linspace(keep, count - keep - 1, target - 2 * keep)
    return np.concatenate([np.arange(keep), np.round(middle).astype(np.intp),
                           np.arange(count - keep, count)])


def _pitch_curve(notes: Sequence[PlacedNote], frames: int, onsets: set[int]) -> F64:
    """The sung pitch in midi per frame: each note held, a glide across legato boundaries,
    a small scoop up into a new syllable, light vibrato on long notes."""
    t = np.arange(frames) * FRAME_MS
    curve = np.full(frames, notes[0].midi, np.float64)
    for i, n in enumerate(notes):
        inside = (t >= n.start_ms) & (t < n.end_ms)
        curve[inside] = n.midi
        if n.end_ms - n.start_ms > VIBRATO_AFTER_MS + 100:
            since = t[inside] - n.start_ms - VIBRATO_AFTER_MS
            depth = np.clip(since / 200.0, 0.0, 1.0) * VIBRATO_CENTS / 100.0
            curve[inside] += np.where(since > 0, depth * np.sin(
                2 * np.pi * VIBRATO_HZ * since / 1000.0), 0.0)
        if i and i not in onsets:  # legato: glide, centred on the beat
            prev = notes[i - 1].midi
            near = np.abs(t - n.start_ms) < GLIDE_MS / 2
            share = (t[near] - n.start_ms + GLIDE_MS / 2) / GLIDE_MS
            curve[near] = prev + (n.midi - prev) * (0.5 - 0.5 * np.cos(np.pi * share))
        if i in onsets:  # a fresh syllable: rise into the note
            rise = (t >= n.start_ms) & (t < n.start_ms + SCOOP_MS)
            share = (t[rise] - n.start_ms) / SCOOP_MS
            curve[rise] += SCOOP_CENTS / 100.0 * (1.0 - share) ** 2
    return curve


def sing_phrase(syllables: Sequence[SpokenSyllable], notes: Sequence[PlacedNote], rate: int,
                *, breath: bool) -> Pcm:
    """Blocking: one phrase's audio (int16 at `rate`): LEAD_MS of lead-in, and its last
    note ends LEAD_MS early, where the next phrase's audio (and lead-in) begins."""
    import pyworld

    end_ms = notes[-1].end_ms - LEAD_MS
    frames = _frames(end_ms)
    decoded = {id(s): s.decoded() for s in syllables}
    bins = next(iter(decoded.values()))[0].shape[1]
    f0 = np.zeros(frames)
    envelope = np.full((frames, bins), 1e-12)
    aperiodicity = np.ones((frames, bins))
    forced = np.zeros(frames, bool)
    onsets = {i for i, n in enumerate(notes) if i == 0 or n.syllable != notes[i - 1].syllable}
    starts = sorted(onsets)
    breath_ms = min(BREATH_MS, 0.4 * (notes[-1].end_ms - notes[-1].start_ms)) if breath else 0.0
    for k, first in enumerate(starts):
        spoken = syllables[notes[first].syllable]
        sp, ap = decoded[id(spoken)]
        begin = _frames(notes[first].start_ms)
        # The vowel ends where the next syllable's consonant begins (or the phrase's breath).
        if k + 1 < len(starts):
            nxt = syllables[notes[starts[k + 1]].syllable]
            stop = _frames(notes[starts[k + 1]].start_ms) - min(nxt.voiced_from,
                                                                 _frames(CONSONANT_MS))
        else:
            stop = frames - _frames(breath_ms)
        # Onset consonant, just before the beat.
        cons = min(spoken.voiced_from, _frames(CONSONANT_MS))
        src = np.arange(spoken.voiced_from - cons, spoken.voiced_from)
        _copy(spoken.f0, sp, ap, src, begin - cons, f0, envelope, aperiodicity)
        # Final consonant, kept short, at the end of the syllable's time.
        tail = min(len(spoken.f0) - spoken.voiced_to, _frames(TAIL_MS), max(0, stop - begin) // 4)
        vowel = max(1, stop - tail - begin)
        idx = spoken.voiced_from + _stretch(spoken.voiced_to - spoken.voiced_from, vowel)
        _copy(spoken.f0, sp, ap, idx, begin, f0, envelope, aperiodicity)
        forced[begin: begin + vowel] = True
        tail_src = np.arange(spoken.voiced_to, spoken.voiced_to + tail)
        _copy(spoken.f0, sp, ap, tail_src, begin + vowel, f0, envelope, aperiodicity)
    # Voiced frames (sung vowels, and consonants the voice spoke voiced) take the melody.
    voiced = forced | (f0 > 0)
    curve = _pitch_curve(notes, frames, onsets)
    f0 = np.where(voiced, 440.0 * 2.0 ** ((curve - 69.0) / 12.0), 0.0)
    aperiodicity[forced] = np.minimum(aperiodicity[forced], FORCED_APERIODICITY)
    if breath_ms:
        _breathe(envelope, aperiodicity, f0, frames - _frames(breath_ms), frames)
    y = pyworld.synthesize(f0, np.ascontiguousarray(envelope),
                           np.ascontiguousarray(aperiodicity), rate, FRAME_MS)
    n = round(end_ms * rate / 1000)
    y = np.concatenate([y, np.zeros(max(0, n - len(y)))])[:n]
    return np.asarray(np.clip(np.round(y * 32767.0 * 0.9), -32768, 32767), np.int16)


def _copy(spoken_f0: F64, sp: F64, ap: F64, src: npt.NDArray[np.intp], at: int, f0: F64,
          envelope: F64, aperiodicity: F64) -> None:
    """Spoken frames `src` into the phrase's frames from `at` (clipped to the phrase)."""
    dst = np.arange(at, at + len(src))
    ok = (dst >= 0) & (dst < len(f0)) & (src >= 0) & (src < len(spoken_f0))
    f0[dst[ok]] = spoken_f0[src[ok]]
    envelope[dst[ok]] = sp[src[ok]]
    aperiodicity[dst[ok]] = ap[src[ok]]


def _breathe(envelope: F64, aperiodicity: F64, f0: F64, start: int, end: int) -> None:
    """An in-breath before the next phrase: the last vowel's envelope as soft noise."""
    if start <= 0 or end <= start:
        return
    shape = envelope[start - 1] * 10 ** (BREATH_DB / 10)  # the envelope is a power spectrum
    rise = np.sin(np.linspace(0.0, np.pi, end - start)) ** 2
    envelope[start:end] = np.maximum(shape[None, :] * rise[:, None], 1e-12)
    aperiodicity[start:end] = 1.0
    f0[start:end] = 0.0


def key_shift(song_midi: Sequence[float], voice_hz: float) -> int:
    """Whole octaves that put the song's middle where this voice sings comfortably (a few
    semitones above where it speaks): the men's voice sings an octave lower."""
    if voice_hz <= 0 or not song_midi:
        return 0
    voice = 69.0 + 12.0 * math.log2(voice_hz / 440.0) + 3.0
    return 12 * round((voice - float(np.median(song_midi))) / 12.0)
