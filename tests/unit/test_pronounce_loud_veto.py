"""A v as loud as a glide is not judged f, whatever the alignment's gain (round 22 in
docs/pronunciation.md): an f is a weak voiceless fricative; piper's correct word-initial v's that
the voicing band reads less voiced are loud. A weak f-like v still is; no other error is vetoed;
`cues.LOUD_VETO_DB = None` switches it off."""

from __future__ import annotations

import numpy as np
import pytest

from lingxi.engines.pronounce import cues
from lingxi.engines.pronounce.sphinx import _Phone, _vetoed
from lingxi.engines.pronounce.variants import load_confusions, variants
from tests.unit.pronounce_synth import PAD_MS, RATE, band_noise, tone, vowel

START, FRAMES = int(PAD_MS / 10) + 1, 8  # the first 80 ms of the 150 ms fricative
# Loud and not clearly voiced: a murmur above the voicing band with strong frication (piper's
# "vine": -8 dB under the vowel, the devoicing cue +54; here -4 dB, +210).
LOUD_V = tone(800, 0.15, 8000) + band_noise(0.15, 8000, 1000, 6000) + tone(150, 0.15, 300)
F = band_noise(0.15, 1500, 1000, 6000)  # weak frication, nothing in the voicing band


def _bands(fricative: np.ndarray) -> cues.Bands:
    pad = np.zeros(int(PAD_MS / 1000 * RATE))
    return cues.bands(np.concatenate([pad, fricative, vowel(0.3), pad]), PAD_MS)


def _veto(fricative: np.ndarray) -> bool:
    b = _bands(fricative)
    value = cues.cue(b, START, FRAMES, cues.kind("V", "F"), "V")
    return cues.vetoes("devoiced", value, cues.level(b, START, FRAMES))


def test_the_loud_v_is_not_clearly_voiced_but_loud_and_the_f_is_weak() -> None:
    loud, weak = _bands(LOUD_V), _bands(F)
    assert cues.cue(loud, START, FRAMES, "devoiced", "V") > cues.VOICED_VETO
    assert cues.level(loud, START, FRAMES) >= cues.GLIDE_CENTRE_DB
    assert cues.level(weak, START, FRAMES) < cues.GLIDE_CENTRE_DB


def test_a_loud_v_vetoes_f_and_a_weak_one_does_not() -> None:
    assert _veto(LOUD_V)
    assert not _veto(F)


def test_switched_off_a_loud_v_is_judged_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cues, "LOUD_VETO_DB", None)
    assert not _veto(LOUD_V)


def test_loudness_vetoes_only_the_devoicing_error() -> None:
    for which in ("sibilant", "glide", "denasal", "dropped", "added", "vowel", "liquid", ""):
        assert not cues.vetoes(which, 1000.0, 0.0)
    assert cues.vetoes("devoiced", 1000.0, 0.0)
    assert not cues.vetoes("devoiced", 1000.0, cues.GLIDE_CENTRE_DB - 1)


def test_the_scorer_skips_f_over_a_loud_v_but_not_w() -> None:
    target = ("V", "AY", "N")
    phones = [_Phone("V", START, FRAMES, 0), _Phone("AY", START + FRAMES, 20, 0),
              _Phone("N", START + FRAMES + 20, 8, 0)]
    tried = {v.heard: v for v in variants(target, load_confusions()) if v.index == 0}
    loud, weak = _bands(LOUD_V), _bands(F)
    assert _vetoed(phones, tried["F"], loud)
    assert not _vetoed(phones, tried["F"], weak)
    assert not _vetoed(phones, tried["W"], loud)
