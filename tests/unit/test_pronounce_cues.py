"""The acoustic cues behind the alignment gains: a sibilant's strong high band, a glide's
loudness, a nasal's murmur, voicing, a dropped or added final sound; and noise under the
speech does not read as a sibilant."""

from __future__ import annotations

import numpy as np

from lingxi.engines.pronounce import cues
from tests.unit.pronounce_synth import PAD_MS, RATE, band_noise, tone, vowel


def _hiss(seconds: float, amp: float, high: bool, seed: int = 0) -> np.ndarray:
    """High-passed above 4 kHz (an s) or low-passed below 2 kHz (a th)."""
    return band_noise(seconds, amp, 4000, RATE, seed) if high else band_noise(seconds, amp, 0,
                                                                               2000, seed)


def _attempt(*parts: np.ndarray, noise: float = 0.0) -> np.ndarray:
    pad = np.zeros(int(PAD_MS / 1000 * RATE))
    x = np.concatenate([pad, *parts, pad])
    return x + np.random.default_rng(1).normal(0, noise, x.shape)


def _frames(seconds_from: float, seconds: float) -> tuple[int, int]:
    return int(PAD_MS / 10 + seconds_from * 100) + 1, int(seconds * 100) - 2


def _fricative_cue(high: bool, noise: float = 0.0) -> float:
    audio = _attempt(_hiss(0.15, 3000 if high else 300, high), vowel(0.3), noise=noise)
    start, n = _frames(0.0, 0.15)
    return cues.cue(cues.bands(audio, PAD_MS), start, n, cues.kind("TH", "S"))


def test_s_reads_as_a_sibilant_and_th_does_not() -> None:
    assert _fricative_cue(high=True) > 0 > _fricative_cue(high=False)


def test_noise_under_the_speech_does_not_make_th_a_sibilant() -> None:
    assert _fricative_cue(high=False, noise=300.0) < 0 < _fricative_cue(high=True, noise=300.0)


def test_a_nasal_murmur_is_not_an_l() -> None:
    nasal = tone(250, 0.15, 6000) + tone(2500, 0.15, 200)
    lateral = tone(300, 0.15, 2500) + tone(1100, 0.15, 3000) + tone(2600, 0.15, 1500)
    start, n = _frames(0.3, 0.15)
    said = [cues.cue(cues.bands(_attempt(vowel(0.3), x), PAD_MS), start, n,
                     cues.kind("N", "L")) for x in (nasal, lateral)]
    assert said[0] < 0 < said[1]


def test_a_dropped_final_stop_leaves_its_frames_silent() -> None:
    start, n = _frames(0.3, 0.1)
    stop = cues.bands(_attempt(vowel(0.3), tone(200, 0.1, 3000)), PAD_MS)
    gone = cues.bands(_attempt(vowel(0.3), np.zeros(1600)), PAD_MS)
    assert cues.cue(gone, start, n, cues.kind("D", "")) > 0 > cues.cue(stop, start, n, "dropped")


def test_a_dropped_stop_reads_silent_though_its_frames_start_on_the_vowel() -> None:
    """The alignment puts a stop that is not there where the vowel dies away: its first frame
    may be the vowel's last. The segment is silent (the median frame), not the vowel's echo;
    a stop that is there still reads as one."""
    start, n = _frames(0.3, 0.1)
    start, n = start - 2, n + 2  # two frames of the vowel's end in the segment
    gone = cues.bands(_attempt(vowel(0.3), np.zeros(1600)), PAD_MS)
    stop = cues.bands(_attempt(vowel(0.3), tone(200, 0.1, 3000)), PAD_MS)
    assert cues.cue(gone, start, n, "dropped") > 0 > cues.cue(stop, start, n, "dropped")


def test_the_dropped_cue_reads_the_median_frame() -> None:
    bands = cues.bands(_attempt(vowel(0.3), np.zeros(1600)), PAD_MS)
    start, n = _frames(0.3, 0.1)
    quiet = cues.cue(bands, start, n, "dropped")
    one_loud = cues.cue(bands, start - 1, n + 1, "dropped")
    assert quiet > 0 and abs(one_loud - quiet) < 0.25 * quiet


def test_errors_without_a_reliable_cue_get_none() -> None:
    assert [cues.kind(p, h) for p, h in (("L", "N"), ("DH", "D"), ("K", ""), ("TH", "T"))] \
        == ["", "", "", ""]
    assert [cues.kind(p, h) for p, h in (("DH", "Z"), ("V", "W"), ("V", "F"), ("K", "K AH"))] \
        == ["sibilant", "glide", "devoiced", "added"]
    assert cues.kind("IH", "IY") == cues.kind("UW", "UH") == "vowel"
    assert cues.kind("R", "L") == cues.kind("L", "R") == "liquid"


def _vowel_at(f1: float) -> float:
    """The vowel cue of "ship" said with a vowel whose first formant is at f1."""
    pitch = 120.0
    t = np.arange(int(0.25 * RATE)) / RATE
    # A glottal buzz (harmonics of the pitch) shaped by resonances at f1 and 2200 Hz.
    def gain(hz: float) -> float:
        return 1 / (1 + ((hz - f1) / 80) ** 2) + 0.5 / (1 + ((hz - 2200) / 120) ** 2)

    wave = sum(np.sin(2 * np.pi * k * pitch * t) * 3000 * gain(k * pitch) for k in range(1, 60))
    start, n = _frames(0.0, 0.25)
    return cues.cue(cues.bands(_attempt(np.asarray(wave)), PAD_MS), start, n, "vowel", "IH")


def test_a_high_first_formant_is_ih_and_a_low_one_iy() -> None:
    assert _vowel_at(480.0) < 0 < _vowel_at(270.0)
