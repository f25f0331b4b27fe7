"""Round 28 (docs/pronunciation.md): a word-final ee in a word with another vowel is unstressed
("smoothly", "feathery": the happY vowel, where English does not part iː from ɪ), so it is not
judged said short; a stressed ee, or the final ee of a one-vowel word, still is."""

from __future__ import annotations

from lingxi.engines.pronounce.variants import load_confusions, on_aligned, variants

SMOOTHLY = ("S", "M", "UW", "DH", "L", "IY")
SEA = ("S", "IY")
SLEET = ("S", "L", "IY", "T")
EASY = ("IY", "Z", "IY")


def _tried(target: tuple[str, ...]) -> set[tuple[int, str]]:
    return {(v.index, v.heard) for v in variants(target, load_confusions())}


def test_a_final_ee_after_another_vowel_is_not_tried_short() -> None:
    tried = _tried(SMOOTHLY)
    assert (5, "IH") not in tried
    # the word's other errors are all still tried: ʊ for uː, z and d for ð, n and r for l
    assert {(2, "UH"), (3, "Z"), (3, "D"), (4, "N"), (4, "R")} <= tried


def test_a_stressed_or_only_ee_is_still_tried_short() -> None:
    assert (1, "IH") in _tried(SEA)  # the word's only vowel: stressed
    assert (2, "IH") in _tried(SLEET)  # not last
    easy = _tried(EASY)
    assert (0, "IH") in easy and (2, "IH") not in easy  # the first ee, not the final one


def test_the_rule_holds_on_the_aligned_pronunciation_too() -> None:
    # tried where the alignment put the word's phones: the final ee is still last there
    found = on_aligned(SMOOTHLY, ("S", "M", "UW", "DH", "L", "IY"), load_confusions())
    assert not any(v.heard == "IH" for v in found)
    found = on_aligned(SEA, ("S", "IY"), load_confusions())
    assert any(v.heard == "IH" for v in found)


def test_only_ee_said_short_is_left_out() -> None:
    # a final n is still tried as ŋ in a two-vowel word ("lotion"): only the table's errors go
    assert (4, "NG") in _tried(("L", "OW", "SH", "AH", "N"))
    assert load_confusions().unstressed_final == {"IY": ("IH",)}
