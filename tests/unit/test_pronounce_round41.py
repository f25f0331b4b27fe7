"""Round 41 (bench/pronounce41_rule.md): errors the scorer heard but did not tell. A vowel added
after a final k ("bookuh") is told from a gain of 5 per frame, not the added kind's 20, and a
final g dropped ("bu" for "bug") from 0, not the dropped kind's 15; n said as l at a word's
first sound ("lice" for "nice") from 5, not 30 (inside or at the end of a word it stays 30).
A word's first th that fits both s and t over their margins is told t ("tink" for "think"),
not s."""

from __future__ import annotations

import numpy as np
import pytest

from lingxi.engines.pronounce import Thresholds, cues, sphinx
from lingxi.engines.pronounce.sphinx import SphinxScorer, _Phone, _told
from lingxi.engines.pronounce.variants import Variant, load_confusions, variants
from tests.unit.pronounce_synth import PAD_MS, RATE, vowel

BANDS = cues.bands(np.concatenate([np.zeros(int(PAD_MS / 1000 * RATE)), vowel(0.6)]), PAD_MS)
FRAMES = 10


def _tried(target: tuple[str, ...]) -> dict[tuple[int, str], Variant]:
    return {(v.index, v.heard): v for v in variants(target, load_confusions())}


class _Gains(SphinxScorer):
    """The scorer with the alignment's gains given (per frame of the error's phone)."""

    def __init__(self, per_frame: dict[tuple[int, str], float]) -> None:
        super().__init__()
        self.per_frame = per_frame

    def gains(self, views: list[tuple[np.ndarray, float]], words: list[str], at: int,
              aligned: tuple[str, ...]) -> list[tuple[Variant, float]]:
        target = self.phones(words[at])
        assert target is not None
        return [(v, self.per_frame[(v.index, v.heard)] * FRAMES)
                for v in self._variants(target, aligned) if (v.index, v.heard) in self.per_frame]


@pytest.fixture(autouse=True)
def _no_cue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every acoustic cue neutral (0): the gains alone decide."""
    monkeypatch.setattr(sphinx, "_cue", lambda phones, variant, heard: (
        cues.kind(phones[variant.index].phone, variant.heard), 0.0))


def _told_as(word: str, per_frame: dict[tuple[int, str], float]) -> dict[int, str]:
    """What each phone of `word` is told as, the errors fitting by `per_frame`."""
    scorer = _Gains(per_frame)
    target = scorer.phones(word)
    assert target is not None
    phones = [_Phone(p, 20 + FRAMES * i, FRAMES, 0) for i, p in enumerate(target)]
    found = scorer._errors([], [word], 0, phones, BANDS)
    return {i: v.heard for i, v in found.items()}


def test_the_shipped_margins() -> None:
    t = Thresholds()
    nice = _tried(("N", "AY", "S"))
    funny = _tried(("F", "AH", "N", "IY"))
    assert t.margin_for(nice[(0, "L")], "N") == 5.0  # a word's first n said as l
    assert t.margin_for(funny[(2, "L")], "N") == 30.0  # inside a word: as before
    assert t.margin_for(_tried(("B", "UH", "K"))[(2, "K AH")], "K") == 5.0
    assert t.margin_for(_tried(("B", "AH", "G"))[(2, "")], "G") == 0.0
    assert t.margin_for(_tried(("B", "AH", "G"))[(2, "G AH")], "G") == 5.0  # as before
    assert t.margin_for(_tried(("S", "T", "AA", "P"))[(3, "P AH")], "P") == 20.0  # as before
    # the calibration's own margins replace them all
    calibrating = Thresholds(pair_margins={}, class_margins={})
    assert calibrating.margin_for(nice[(0, "L")], "N") == calibrating.margin


def test_nice_said_lice_is_told_where_inside_a_word_it_is_not() -> None:
    assert _told_as("nice", {(0, "L"): 12.0}) == {0: "L"}
    assert _told_as("nice", {(0, "L"): 3.0}) == {}
    assert _told_as("funny", {(2, "L"): 12.0}) == {}  # inside: still 30


def test_book_said_bookuh_and_bug_said_bu_are_told() -> None:
    assert _told_as("book", {(2, "K AH"): 8.0}) == {2: "K AH"}
    assert _told_as("book", {(2, "K AH"): 3.0}) == {}
    assert _told_as("bug", {(2, ""): 8.0}) == {2: ""}


def test_think_said_tink_is_told_t_not_s() -> None:
    # both over their margins (s 5, t 15), s fitting better: told t at a word's first sound
    assert _told_as("think", {(0, "S"): 60.0, (0, "T"): 30.0}) == {0: "T"}
    # t not over its margin: s, as before
    assert _told_as("think", {(0, "S"): 60.0, (0, "T"): 10.0}) == {0: "S"}
    # t fitting better already: t
    assert _told_as("think", {(0, "S"): 30.0, (0, "T"): 60.0}) == {0: "T"}


def test_told_only_moves_a_first_th() -> None:
    think = _tried(("TH", "IH", "NG", "K"))
    over = {"S": think[(0, "S")], "T": think[(0, "T")]}
    assert _told("TH", think[(0, "S")], over) is think[(0, "T")]
    assert _told("TH", think[(0, "S")], {"S": think[(0, "S")]}) is think[(0, "S")]
    bath = _tried(("B", "AE", "TH"))
    end = {h: bath[(2, h)] for h in ("S", "T") if (2, h) in bath}
    assert "S" in end
    assert _told("TH", end["S"], end) is end["S"]  # a last th: as before
