"""What the voice of one turn sounds like, measured with Praat (praat-parselmouth).

Blocking (about 7 ms per second of audio on this 2-core machine under load); run it in a
worker thread. Praat holds the GIL while it computes, so the pitch track is taken in blocks of
_BLOCK_S with a pause between, and only the turn's last _MAX_S are heard: the event loop never
waits more than one block's computation (about 10 ms). Praat's cross-correlation HNR took 950 ms
for 8 s of speech and its point-process jitter 100 ms, so both come from the pitch track
instead: HNR from each frame's autocorrelation peak r (10·log10(r / (1 − r))), jitter as the
frame-to-frame change of the period (a frame-level perturbation, coarser than cycle jitter).
Absolute levels say little (a deep voice is not a sad one, a loud microphone not an angry
caller), so these are raw measures; `caller.py` compares them with the caller's own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lingxi.audio import Pcm

PITCH_FLOOR_HZ = 50.0  # a low voice speaking low (57 Hz, espeak cmn+m5) still has a pitch
PITCH_CEILING_HZ = 600.0
STEP_S = 0.01
_SOUNDING_DB = 30.0  # a frame within this many dB of the turn's loudest is sound, not silence
_PAUSE_S = 0.25  # silence at least this long inside speech is a pause
_MIN_SOUND_S = 0.3  # less sound than this is too little to judge
_MAX_S = 12.0  # the end of a long turn is how the caller sounds now
_BLOCK_S = 1.0  # Praat computes this much at a time, holding the GIL


@dataclass(frozen=True, slots=True)
class VoiceMeasures:
    """One turn's voice. Pitch in semitones re 100 Hz; level in dB (relative to full scale)."""

    sounding_s: float  # how long there was sound (the rate's denominator)
    voiced_share: float  # voiced frames among sounding ones: ≈0.8 speaking, ≈0.1 whispering
    pitch_st: float | None  # median pitch; None when nothing was voiced
    range_st: float | None  # 10–90% pitch range
    level_db: float  # median level of the sounding frames
    hnr_db: float | None  # harmonics-to-noise ratio of the voiced part
    jitter: float | None  # local jitter (period-to-period variation), a fraction
    pauses: int  # silences of _PAUSE_S or more between sounds
    pause_share: float  # share of the time between first and last sound that is silence

    @property
    def whispering(self) -> bool:
        """Sound with almost no voicing: a whisper (speech ≈80% voiced, whisper ≈10%)."""
        return self.sounding_s >= _MIN_SOUND_S and self.voiced_share < WHISPER_VOICED_SHARE


WHISPER_VOICED_SHARE = 0.35


def measure(pcm: Pcm, sample_rate: int) -> VoiceMeasures | None:
    """The turn's voice measures; None when the audio has too little sound to judge."""
    x = pcm[-int(_MAX_S * sample_rate):].astype(np.float64) / 32768.0
    if len(x) < sample_rate * _MIN_SOUND_S:
        return None
    level = _frame_db(x, sample_rate)
    sounding = level > level.max() - _SOUNDING_DB
    sounding &= level > -60.0  # digital silence and faint hiss are not sound
    sounding_s = float(sounding.sum()) * STEP_S
    if sounding_s < _MIN_SOUND_S:
        return None
    f0, strength = _pitch(x, sample_rate, len(level))
    voiced = (f0 > 0) & sounding
    voiced_share = float(voiced.sum() / max(sounding.sum(), 1))
    pitch_st = range_st = hnr = jitter = None
    if voiced.sum() >= 5:
        st = 12.0 * np.log2(f0[voiced] / 100.0)
        pitch_st = float(np.median(st))
        range_st = float(np.percentile(st, 90) - np.percentile(st, 10))
        r = np.clip(strength[voiced], 1e-3, 1 - 1e-3)
        hnr = float(np.median(10.0 * np.log10(r / (1.0 - r))))
        jitter = _jitter(f0, voiced)
    pauses, pause_share = _pauses(sounding)
    return VoiceMeasures(sounding_s, voiced_share, pitch_st, range_st,
                         float(np.median(level[sounding])), hnr, jitter, pauses, pause_share)


def _pitch(x: npt.NDArray[np.float64], sample_rate: int,
           frames: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Praat's pitch (0 where unvoiced) and its strength on our 10 ms frames, in blocks."""
    import parselmouth  # imported here: the fake engine set and the CLI need not load Praat

    f0 = np.zeros(frames, np.float64)
    strength = np.zeros(frames, np.float64)
    block = int(_BLOCK_S * sample_rate)
    for start in range(0, len(x), block):
        piece = x[start:start + block]
        if len(piece) < sample_rate * 0.1:
            break
        pitch = parselmouth.Sound(piece, sampling_frequency=sample_rate).to_pitch(
            time_step=STEP_S, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ)
        chosen = pitch.selected_array
        index = np.clip(((pitch.xs() + start / sample_rate) / STEP_S).astype(int), 0, frames - 1)
        f0[index] = chosen["frequency"]
        strength[index] = chosen["strength"]
        time.sleep(0)  # let the event loop's thread have the GIL between blocks
    return f0, strength


def _jitter(f0: npt.NDArray[np.float64], voiced: npt.NDArray[np.bool_]) -> float | None:
    """Mean relative change of the period between neighbouring voiced frames."""
    both = voiced[1:] & voiced[:-1]
    if both.sum() < 3:
        return None
    period = 1.0 / np.where(f0 > 0, f0, 1.0)
    change = np.abs(np.diff(period))[both] / period[1:][both]
    return float(np.mean(change))


def _frame_db(x: npt.NDArray[np.float64], sample_rate: int) -> npt.NDArray[np.float64]:
    hop = int(sample_rate * STEP_S)
    frames = len(x) // hop
    power = (x[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1)
    return np.asarray(10.0 * np.log10(power + 1e-12), np.float64)


def _pauses(sounding: npt.NDArray[np.bool_]) -> tuple[int, float]:
    where = np.flatnonzero(sounding)
    inside = sounding[where[0]: where[-1] + 1]
    silent_runs, run = [], 0
    for frame in inside:
        if frame:
            if run:
                silent_runs.append(run)
            run = 0
        else:
            run += 1
    long = [r for r in silent_runs if r * STEP_S >= _PAUSE_S]
    return len(long), float(sum(long)) / max(len(inside), 1)
