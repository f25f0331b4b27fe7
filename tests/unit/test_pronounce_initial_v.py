"""Round 38 (round 29's rule, with round 34's weak forms): v said as f is not tried at
a word's first sound. A Mandarin speaker's initial v is said as w ("wery"), still tried there;
v said as f is a v losing its voice at a syllable's end ("five" as "fife"), still tried at an
inner or final v. What a learner notices: a correct "vendor" or "vacant" is no longer told
"you said f"; "fife" for "five" and "wendor" for "vendor" still are."""

from __future__ import annotations

from lingxi.engines.pronounce.variants import load_confusions, on_aligned, variants


def _tried(target: tuple[str, ...]) -> set[tuple[int, str]]:
    return {(v.index, v.heard) for v in variants(target, load_confusions())}


def test_a_word_initial_v_is_not_tried_as_f() -> None:
    vendor = _tried(("V", "EH", "N", "D", "ER"))
    assert (0, "F") not in vendor
    assert (0, "W") in vendor  # "wendor" is still told
    assert (0, "F") not in _tried(("V", "EY", "K", "AH", "N", "T"))  # vacant


def test_an_inner_or_final_v_is_still_tried_as_f() -> None:
    assert (2, "F") in _tried(("F", "AY", "V"))  # five said "fife"
    assert (3, "F") in _tried(("AH", "L", "AY", "V"))  # alive
    assert (2, "F") in _tried(("S", "EH", "V", "AH", "N"))  # seven: an inner v


def test_only_the_first_sound_and_only_f() -> None:
    # a word-initial th, l, n keeps its errors: the rule is v→f's alone
    assert {(0, "S"), (0, "T")} <= _tried(("TH", "IH", "NG", "K"))
    assert (0, "L") in _tried(("N", "AY", "T"))


def test_the_rule_holds_on_the_aligned_pronunciation_too() -> None:
    found = on_aligned(("V", "EH", "N", "D", "ER"), ("V", "EH", "N", "D", "AH"), load_confusions())
    assert all(not (v.index == 0 and v.heard == "F") for v in found)
    assert any(v.index == 0 and v.heard == "W" for v in found)
