"""What a wrong ð is named: z when its frames sound like a sibilant, d otherwise (round 18 in
docs/pronunciation.md); whether it is wrong is not this function's to change."""

from __future__ import annotations

import numpy as np

from lingxi.engines.pronounce import cues
from lingxi.engines.pronounce.sphinx import _as_heard, _Phone
from lingxi.engines.pronounce.variants import Variant

RATE = 16000
PAD_MS = 100.0
THAT = ("DH", "AE", "T")


def _hiss(seconds: float, amp: float, high: bool) -> np.ndarray:
    """White noise above 4 kHz (a z's frication) or below 2 kHz (a weak, flat ð or a d)."""
    noise = np.random.default_rng(0).normal(0, 1, int(seconds * RATE))
    spectrum = np.fft.rfft(noise)
    freq = np.fft.rfftfreq(len(noise), 1 / RATE)
    spectrum[(freq < 4000) if high else (freq > 2000)] = 0
    out: np.ndarray = np.fft.irfft(spectrum, len(noise))
    scaled: np.ndarray = out / np.abs(out).max() * amp
    return scaled


def _said(high: bool) -> tuple[cues.Bands, _Phone]:
    """"that" with its first sound a strong sibilant (high) or weak and low; the phone as the
    alignment would give it."""
    t = np.arange(int(0.3 * RATE)) / RATE
    vowel = 8000 * np.sin(2 * np.pi * 150 * t) + 3000 * np.sin(2 * np.pi * 700 * t)
    pad = np.zeros(int(PAD_MS / 1000 * RATE))
    audio = np.concatenate([pad, _hiss(0.12, 3000 if high else 300, high), vowel, pad])
    return cues.bands(audio, PAD_MS), _Phone("DH", int(PAD_MS / 10) + 1, 10, 0)


def _variant(heard: str) -> Variant:
    return Variant(0, "substitute", heard, (heard, *THAT[1:]))


TRIED = [_variant("Z"), _variant("D")]


def test_a_wrong_dh_that_sounds_sibilant_is_named_z() -> None:
    bands, phone = _said(high=True)
    assert _as_heard(_variant("D"), phone, TRIED, bands).heard == "Z"


def test_a_wrong_dh_that_does_not_sound_sibilant_stays_d() -> None:
    bands, phone = _said(high=False)
    assert _as_heard(_variant("D"), phone, TRIED, bands).heard == "D"


def test_only_a_dh_named_d_is_renamed() -> None:
    bands, phone = _said(high=True)
    th = _Phone("TH", phone.start, phone.frames, 0)
    t_for_th = Variant(0, "substitute", "T", ("T", "IH", "NG", "K"))
    s_for_th = Variant(0, "substitute", "S", ("S", "IH", "NG", "K"))
    assert _as_heard(t_for_th, th, [s_for_th, t_for_th], bands).heard == "T"
    assert _as_heard(_variant("Z"), phone, TRIED, bands).heard == "Z"
    assert _as_heard(_variant("D"), phone, [_variant("D")], bands).heard == "D"  # no z tried
