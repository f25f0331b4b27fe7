"""Round 27 (docs/pronunciation.md): a ð whose frames carry frication at 4-8 kHz is not judged
d (a d is a closure and a release, with little there), and a v far quieter than a glide is not
judged w; z and f are still tried over the same frames."""

from __future__ import annotations

import numpy as np

from lingxi.engines.pronounce import cues
from lingxi.engines.pronounce.sphinx import _Phone, _vetoed
from lingxi.engines.pronounce.variants import load_confusions, variants
from tests.unit.pronounce_synth import PAD_MS, RATE, band_noise, tone, vowel

START, FRAMES = int(PAD_MS / 10) + 1, 8  # the first 80 ms of the 150 ms consonant
# ð: a voicing murmur under weak frication that reaches 4-8 kHz
DH = tone(150, 0.15, 3000) + band_noise(0.15, 400, 2000, 7500)
# d: a voiced closure, nothing above 4 kHz
D = tone(150, 0.15, 3000) + band_noise(0.15, 200, 200, 2500)


def _bands(consonant: np.ndarray) -> cues.Bands:
    pad = np.zeros(int(PAD_MS / 1000 * RATE))
    return cues.bands(np.concatenate([pad, consonant, vowel(0.3), pad]), PAD_MS)


def _in_word(consonant: np.ndarray) -> tuple[cues.Bands, int]:
    """Between two one-second vowels (the noise estimate, a low percentile of the frames, then
    falls on vowel frames), and where the consonant starts."""
    pad = np.zeros(int(PAD_MS / 1000 * RATE))
    audio = np.concatenate([pad, vowel(1.0), consonant, vowel(1.0), pad])
    return cues.bands(audio, PAD_MS), START + 100


def test_frication_parts_a_fricated_dh_from_a_d() -> None:
    assert cues.frication(_bands(DH), START, FRAMES) >= cues.FRICATED
    assert cues.frication(_bands(D), START, FRAMES) < cues.FRICATED
    assert cues.not_a_stop(_bands(DH), START, FRAMES, "DH", "D")
    assert not cues.not_a_stop(_bands(D), START, FRAMES, "DH", "D")
    for phone, heard in (("DH", "Z"), ("TH", "T"), ("V", "F")):
        assert not cues.not_a_stop(_bands(DH), START, FRAMES, phone, heard)


def test_the_scorer_skips_d_over_a_fricated_dh_but_not_z() -> None:
    target = ("DH", "EH", "N")  # "then"
    phones = [_Phone("DH", START, FRAMES, 0), _Phone("EH", START + FRAMES, 20, 0),
              _Phone("N", START + FRAMES + 20, 8, 0)]
    tried = {v.heard: v for v in variants(target, load_confusions()) if v.index == 0}
    assert _vetoed(phones, tried["D"], _bands(DH))
    assert not _vetoed(phones, tried["D"], _bands(D))
    assert not _vetoed(phones, tried["Z"], _bands(DH))


def test_a_v_far_below_the_loudest_frame_is_not_judged_w() -> None:
    target = ("AH", "V", "ER")  # "over", as the dictionary has it
    tried = {v.heard: v for v in variants(target, load_confusions()) if v.index == 1}
    quiet_v = tone(150, 0.15, 400) + band_noise(0.15, 150, 1000, 6000)
    glide = tone(150, 0.15, 6000) + tone(700, 0.15, 2000)
    for sound, vetoed in ((quiet_v, True), (glide, False)):
        bands, start = _in_word(sound)
        phones = [_Phone("AH", start - 50, 50, 0), _Phone("V", start, FRAMES, 0),
                  _Phone("ER", start + FRAMES, 50, 0)]
        assert (cues.cue(bands, start, FRAMES, "glide") <= cues.GLIDE_VETO) is vetoed
        assert _vetoed(phones, tried["W"], bands) is vetoed
    assert not cues.not_a_stop(bands, start, FRAMES, "V", "W")
