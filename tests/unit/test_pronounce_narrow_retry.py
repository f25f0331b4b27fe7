"""An attempt the wide-beam alignment finds nothing of is tried again on pocketsphinx's own beams
(round 32 in docs/pronunciation.md): on 42 of 3,248 spent held-out attempts the wide beams'
first pass ended a word or more short of the text on every padding, and the attempt was passed
as said right, unheard."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lingxi.engines.pronounce.decoder import WIDE_BEAMS, new_decoder
from lingxi.engines.pronounce.prepare import TRIES
from lingxi.engines.pronounce.sphinx import SphinxScorer, _Phone

pytest.importorskip("pocketsphinx")


def _beam(decoder: Any) -> float:
    return float(decoder.config["beam"])


def test_the_narrow_decoder_keeps_pocketsphinx_beams() -> None:
    assert _beam(new_decoder()) == WIDE_BEAMS["beam"]
    assert _beam(new_decoder(wide=False)) > 1e-100


class _WideFails(SphinxScorer):
    """The text is found only on a decoder without the wide beams; the alignment is fixed."""

    def __init__(self) -> None:
        super().__init__()
        self.tried: list[float] = []

    def _found(self, audio: Any, text: str) -> bool:
        self.tried.append(_beam(self._decoder))
        return _beam(self._decoder) != WIDE_BEAMS["beam"]

    def _align(self, audio: Any, text: str) -> list[list[_Phone]] | None:
        return [[_Phone("L", 20, 5, -10), _Phone("AE", 25, 10, -10), _Phone("M", 35, 6, -10)]]


def test_an_attempt_the_wide_beams_miss_is_aligned_on_the_narrow() -> None:
    scorer = _WideFails()
    with scorer._attempt():
        found = scorer._aligned(np.zeros(16000, np.float32), "lamb")
        assert found is not None
        assert _beam(scorer._decoder) != WIDE_BEAMS["beam"]  # what follows runs on it too
    wide = [b for b in scorer.tried if b == WIDE_BEAMS["beam"]]
    assert len(wide) == len(TRIES)  # every padding was tried wide first
    assert scorer.tried[len(wide)] != WIDE_BEAMS["beam"]


class _WideFinds(_WideFails):
    def _found(self, audio: Any, text: str) -> bool:
        self.tried.append(_beam(self._decoder))
        return True


def test_an_attempt_the_wide_beams_align_stays_on_them() -> None:
    scorer = _WideFinds()
    with scorer._attempt():
        assert scorer._aligned(np.zeros(16000, np.float32), "lamb") is not None
        assert _beam(scorer._decoder) == WIDE_BEAMS["beam"]
    assert scorer.tried == [WIDE_BEAMS["beam"]]
