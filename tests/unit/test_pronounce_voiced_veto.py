"""A v whose frames are clearly voiced is not judged f, whatever the alignment's gain (round 19
in docs/pronunciation.md); an f-like v still is. No other cue vetoes but the glide's (round 27)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from lingxi.engines.pronounce import cues
from lingxi.engines.pronounce.sphinx import _Phone, _vetoed
from lingxi.engines.pronounce.variants import load_confusions, variants
from tests.unit.pronounce_synth import PAD_MS, RATE, band_noise, tone, vowel


def _hiss(seconds: float, amp: float) -> np.ndarray:
    """Noise between 1 and 6 kHz: an f's frication."""
    return band_noise(seconds, amp, 1000, 6000)


def _bands(fricative: np.ndarray) -> cues.Bands:
    pad = np.zeros(int(PAD_MS / 1000 * RATE))
    return cues.bands(np.concatenate([pad, fricative, vowel(0.3), pad]), PAD_MS)


START, FRAMES = int(PAD_MS / 10) + 1, 8  # the first 80 ms of the 150 ms fricative
VOICED_V = tone(150, 0.15, 3000) + _hiss(0.15, 300)  # a voicing murmur under weak frication
F = _hiss(0.15, 1500)  # frication, nothing in the voicing band


def _devoicing(fricative: np.ndarray) -> float:
    return cues.cue(_bands(fricative), START, FRAMES, cues.kind("V", "F"), "V")


def test_a_voiced_v_vetoes_f_and_a_voiceless_one_does_not() -> None:
    assert _devoicing(VOICED_V) <= cues.VOICED_VETO
    assert cues.vetoes("devoiced", _devoicing(VOICED_V))
    assert _devoicing(F) > 0
    assert not cues.vetoes("devoiced", _devoicing(F))


def test_only_the_devoicing_and_glide_cues_veto() -> None:
    for which in ("sibilant", "denasal", "dropped", "added", "vowel", "liquid", ""):
        assert not cues.vetoes(which, -1000.0)
    assert cues.vetoes("glide", cues.GLIDE_VETO) and not cues.vetoes("glide", cues.GLIDE_VETO + 1)


def test_the_scorer_skips_f_over_voiced_frames() -> None:
    """(w over a v: by its level, round 27, test_pronounce_stop_veto.py.)"""
    target = ("V", "AY", "N")
    phones = [_Phone("V", START, FRAMES, 0), _Phone("AY", START + FRAMES, 20, 0),
              _Phone("N", START + FRAMES + 20, 8, 0)]
    # v→f is no longer tried at a word's first sound (round 38, test_pronounce_initial_v.py);
    # the veto it is vetoed by is this test's, so the table here tries it there
    table = replace(load_confusions(), not_initial={})
    tried = {v.heard: v for v in variants(target, table) if v.index == 0}
    voiced, voiceless = _bands(VOICED_V), _bands(F)
    assert _vetoed(phones, tried["F"], voiced)
    assert not _vetoed(phones, tried["F"], voiceless)
