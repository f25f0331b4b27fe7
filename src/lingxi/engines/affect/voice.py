"""What the voice of one turn sounds like, measured with Praat (praat-parselmouth).

Blocking: about 4 ms per second of audio for the pitch track; run it in a worker thread.
Absolute levels say little (a deep voice is not a sad one, a loud microphone not an angry
caller), so these are raw measures; `baseline.py` compares them with the caller's own.
"""

from __future__ import annotations

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
    import parselmouth  # imported here: the fake engine set and the CLI need not load Praat

    x = pcm.astype(np.float64) / 32768.0
    if len(x) < sample_rate * _MIN_SOUND_S:
        return None
    sound = parselmouth.Sound(x, sampling_frequency=sample_rate)
    level = _frame_db(x, sample_rate)
    sounding = level > level.max() - _SOUNDING_DB
    sounding &= level > -60.0  # digital silence and faint hiss are not sound
    sounding_s = float(sounding.sum()) * STEP_S
    if sounding_s < _MIN_SOUND_S:
        return None
    pitch = sound.to_pitch(time_step=STEP_S, pitch_floor=PITCH_FLOOR_HZ,
                           pitch_ceiling=PITCH_CEILING_HZ)
    f0 = _on_frames(pitch.selected_array["frequency"], pitch.xs(), len(level))
    voiced = (f0 > 0) & sounding
    voiced_share = float(voiced.sum() / max(sounding.sum(), 1))
    pitch_st = range_st = hnr = jitter = None
    if voiced.sum() >= 5:
        st = 12.0 * np.log2(f0[voiced] / 100.0)
        pitch_st = float(np.median(st))
        range_st = float(np.percentile(st, 90) - np.percentile(st, 10))
        hnr, jitter = _quality(sound)
    pauses, pause_share = _pauses(sounding)
    return VoiceMeasures(sounding_s, voiced_share, pitch_st, range_st,
                         float(np.median(level[sounding])), hnr, jitter, pauses, pause_share)


def _frame_db(x: npt.NDArray[np.float64], sample_rate: int) -> npt.NDArray[np.float64]:
    hop = int(sample_rate * STEP_S)
    frames = len(x) // hop
    power = (x[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1)
    return np.asarray(10.0 * np.log10(power + 1e-12), np.float64)


def _on_frames(values: npt.NDArray[np.float64], times: npt.NDArray[np.float64],
               frames: int) -> npt.NDArray[np.float64]:
    """Praat's pitch frames (centred, fewer) laid onto our level frames."""
    out = np.zeros(frames, np.float64)
    index = np.clip((times / STEP_S).astype(int), 0, frames - 1)
    out[index] = values
    return out


def _quality(sound: object) -> tuple[float | None, float | None]:
    import parselmouth

    call = parselmouth.praat.call
    harmonicity = call(sound, "To Harmonicity (cc)", STEP_S, PITCH_FLOOR_HZ, 0.1, 1.0)
    hnr = float(call(harmonicity, "Get mean", 0, 0))
    points = call(sound, "To PointProcess (periodic, cc)", PITCH_FLOOR_HZ, PITCH_CEILING_HZ)
    jitter = float(call(points, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3))
    return (hnr if np.isfinite(hnr) else None), (jitter if np.isfinite(jitter) else None)


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
