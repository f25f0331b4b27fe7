"""A final n said as ŋ after ɪ (round 20 in docs/pronunciation.md): the vowel's F2 rising into
the nasal reads as ŋ, falling as n; the cue is judged only after ɪ, and the scorer hands it the
phone before the n."""

from __future__ import annotations

import numpy as np

from lingxi.engines.pronounce import cues
from lingxi.engines.pronounce.sphinx import _cue, _Phone
from lingxi.engines.pronounce.variants import Variant, load_confusions, variants
from tests.unit.pronounce_synth import PAD_MS, RATE, tone

VOWEL_S = 0.25
START = int(PAD_MS / 10) + 1
FRAMES = int(VOWEL_S * 100) - 2


def _into_nasal(f2_end: float) -> cues.Bands:
    """A front lax vowel (F1 450 Hz, F2 1900 Hz) whose F2 moves to `f2_end` over its last 40%,
    as it does into ŋ (up, the velar pinch) or n (down), then a nasal murmur."""
    pitch = 120.0
    t = np.arange(int(VOWEL_S * RATE)) / RATE
    f2 = 1900 + (f2_end - 1900) * np.clip((t / t[-1] - 0.6) / 0.4, 0, 1)

    def gain(hz: float) -> np.ndarray:
        out: np.ndarray = 1 / (1 + ((hz - 450) / 80) ** 2) + 0.6 / (1 + ((hz - f2) / 100) ** 2) \
            + 0.3 / (1 + ((hz - 2700) / 150) ** 2)
        return out

    wave = sum(np.sin(2 * np.pi * k * pitch * t) * 3000 * gain(k * pitch) for k in range(1, 60))
    pad = np.zeros(int(PAD_MS / 1000 * RATE))
    return cues.bands(np.concatenate([pad, np.asarray(wave), tone(250, 0.1, 3000), pad]),
                      PAD_MS)


RISING, FALLING = _into_nasal(2350.0), _into_nasal(1750.0)


def _velar(heard: cues.Bands, vowel: str) -> float:
    return cues.cue(heard, START + FRAMES, 8, "velar", "N", (vowel, START, FRAMES))


def test_f2_rising_into_a_final_nasal_after_ih_is_ng() -> None:
    assert _velar(RISING, "IH") > 0 > _velar(FALLING, "IH")


def test_the_velar_cue_is_judged_after_ih_alone() -> None:
    for vowel in ("EH", "AE", "AH", "UW", "IY"):
        assert _velar(RISING, vowel) == 0.0
    assert cues.cue(RISING, START + FRAMES, 8, "velar", "N", None) == 0.0


def test_n_said_as_ng_gets_the_velar_cue_and_nothing_else_does() -> None:
    assert cues.kind("N", "NG") == "velar"
    assert cues.kind("N", "L") == "denasal"
    assert cues.kind("NG", "N") == cues.kind("M", "NG") == ""


def _final_ng(target: tuple[str, ...]) -> Variant:
    return next(v for v in variants(target, load_confusions()) if v.heard == "NG")


def test_the_scorer_gives_the_final_n_the_vowel_before_it() -> None:
    def phones(vowel: str) -> list[_Phone]:
        return [_Phone("TH", START - 8, 8, 0), _Phone(vowel, START, FRAMES, 0),
                _Phone("N", START + FRAMES, 8, 0)]

    which, value = _cue(phones("IH"), _final_ng(("TH", "IH", "N")), RISING)
    assert which == "velar" and value > 0
    assert _cue(phones("IH"), _final_ng(("TH", "IH", "N")), FALLING)[1] < 0
    assert _cue(phones("EH"), _final_ng(("TH", "EH", "N")), RISING)[1] == 0.0
