"""A word's errors tried at their own phones in the pronunciation the alignment chose (round 21
in docs/pronunciation.md): espeak-ng's "pumpkin" aligns the dictionary's second pronunciation,
P AH M K IH N, and the first's errors by index put ɪ→iː on the N and n→ŋ past the end."""

from __future__ import annotations

import numpy as np
import pytest

from lingxi.engines.pronounce.sphinx import SphinxScorer
from lingxi.engines.pronounce.variants import Variant, load_confusions, on_aligned, variants

FIRST = ("P", "AH", "M", "P", "K", "IH", "N")
SECOND = ("P", "AH", "M", "K", "IH", "N")


def _tried(found: list[Variant], phones: tuple[str, ...]) -> set[tuple[str, int, str]]:
    return {(phones[v.index], v.index, v.heard) for v in found}


def test_the_errors_land_on_their_own_phones_in_the_aligned_pronunciation() -> None:
    found = on_aligned(FIRST, SECOND, load_confusions())
    assert _tried(found, SECOND) == {("IH", 4, "IY"), ("N", 5, "L"), ("N", 5, "NG")}
    assert all(v.phones[:v.index] == SECOND[:v.index] for v in found)
    assert next(v for v in found if v.heard == "NG").phones == ("P", "AH", "M", "K", "IH", "NG")


def test_an_error_whose_phone_is_not_in_the_aligned_pronunciation_is_not_tried() -> None:
    # "read": R EH D first, R IY D second: e→æ has no ɛ to land on; iː→ɪ is not the first's.
    found = on_aligned(("R", "EH", "D"), ("R", "IY", "D"), load_confusions())
    assert {(v.index, v.kind, v.heard) for v in found} == {
        (0, "substitute", "L"), (2, "drop", ""), (2, "add", "D AH")}


def test_a_final_only_error_needs_the_phone_still_last() -> None:
    found = on_aligned(("T", "IH", "N"), ("T", "IH", "N", "Z"), load_confusions())
    assert ("N", 2, "L") in _tried(found, ("T", "IH", "N", "Z"))
    assert all(v.heard != "NG" for v in found)


def test_the_first_pronunciation_keeps_every_error() -> None:
    c = load_confusions()
    assert on_aligned(FIRST, FIRST, c) == variants(FIRST, c)


def _gains_tried(on_aligned_: bool, monkeypatch: pytest.MonkeyPatch) -> set[tuple[int, str]]:
    scorer = SphinxScorer(errors_on_aligned=on_aligned_)
    monkeypatch.setattr(scorer, "_word_for", lambda phones: "x_" + "_".join(phones).lower())
    monkeypatch.setattr(scorer, "_fit", lambda audio, text: 1.0)
    views = [(np.zeros(160, np.int16), 0.0)]
    return {(v.index, v.heard) for v, _ in scorer.gains(views, ["pumpkin"], 0, SECOND)}


def test_the_scorer_tries_pumpkins_errors_on_the_aligned_phones(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _gains_tried(True, monkeypatch) == {(4, "IY"), (5, "L"), (5, "NG")}
    # Main's by index: ɪ→iː (index 5) on the aligned N, n→ŋ (index 6) never tried.
    assert _gains_tried(False, monkeypatch) == {(5, "IY")}
