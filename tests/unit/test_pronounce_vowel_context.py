"""Round 39: two errors tried only where English has the contrast they break.

- ɪ/iː and ʊ/uː are not tried directly before another vowel of the word: English has no short
  vowel there ("piano", "theology", "ruin"), so a correct "piano" is no longer told "you said
  ɪ"; "sheep" said "ship" and "fool" said "full" still are.
- r said as l is tried only directly before a vowel (an onset r, the Mandarin speaker's
  "light" for "right"): a correct "northern" or "car" is no longer told "you said l" at an
  r-coloured vowel; "light" for "right" and "blead" for "bread" still are."""

from __future__ import annotations

from lingxi.engines.pronounce.variants import load_confusions, on_aligned, variants


def _tried(target: tuple[str, ...]) -> set[tuple[int, str]]:
    return {(v.index, v.heard) for v in variants(target, load_confusions())}


def test_a_long_vowel_before_another_vowel_is_not_tried_short() -> None:
    assert (1, "IH") not in _tried(("P", "IY", "AE", "N", "OW"))  # piano
    assert (1, "IH") not in _tried(("TH", "IY", "AA", "L", "AH", "JH", "IY"))  # theology
    assert (1, "UH") not in _tried(("R", "UW", "IH", "N"))  # ruin
    assert (2, "UH") not in _tried(("B", "R", "UW", "ER"))  # brewer


def test_a_long_or_short_vowel_before_a_consonant_is_still_tried() -> None:
    assert (1, "IH") in _tried(("SH", "IY", "P"))  # sheep said "ship"
    assert (1, "IY") in _tried(("SH", "IH", "P"))  # ship said "sheep"
    assert (1, "UH") in _tried(("F", "UW", "L"))  # fool said "full"
    assert (1, "UW") in _tried(("F", "UH", "L"))  # full said "fool"
    assert (3, "IH") in _tried(("R", "IY", "S", "IY", "V"))  # receive's stressed ee


def test_r_is_tried_as_l_only_before_a_vowel() -> None:
    assert (0, "L") in _tried(("R", "AY", "T"))  # right said "light"
    assert (1, "L") in _tried(("B", "R", "EH", "D"))  # bread: a cluster's r before its vowel
    assert (2, "L") not in _tried(("N", "AO", "R", "DH", "ER", "N"))  # northern
    assert (2, "L") not in _tried(("K", "AA", "R"))  # car: a final r
    assert (2, "L") not in _tried(("N", "IH", "R", "B", "AY"))  # nearby


def test_only_those_errors_move() -> None:
    # l said as n or r, n said as l, and a vowel's other errors keep their places
    piano = _tried(("P", "IY", "AE", "N", "OW"))
    assert (2, "EH") in piano and (3, "L") in piano
    assert (2, "N") in _tried(("K", "AA", "L", "M"))  # calm: a coda l is still tried as n
    assert (2, "NG") in _tried(("TH", "IH", "N"))  # thin said "thing"


def test_the_rules_hold_on_the_aligned_pronunciation_too() -> None:
    found = on_aligned(("P", "IY", "AE", "N", "OW"), ("P", "IY", "AE", "N", "AH"),
                       load_confusions())
    assert not any(v.index == 1 and v.heard == "IH" for v in found)
    assert any(v.index == 2 and v.heard == "EH" for v in found)
    found = on_aligned(("N", "AO", "R", "DH", "ER", "N"), ("N", "AO", "R", "DH", "AH", "N"),
                       load_confusions())
    assert not any(v.index == 2 and v.heard == "L" for v in found)
    assert any(v.index == 0 and v.heard == "L" for v in found)
