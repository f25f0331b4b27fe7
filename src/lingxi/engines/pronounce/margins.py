"""How much better an error must fit than the target before it is judged said: per error
("TH>S"), pooled per kind ("vowel"), or the default, as decided on the development set
(`margins.yaml`, bench/calibrate_pronounce.py)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml

from lingxi.engines.pronounce.variants import Variant, error_class


def pair(phone: str, heard: str) -> str:
    """The name of an error: "TH>S", "D>-" (dropped), "K>+AH" (a vowel added after K)."""
    if heard == "":
        return f"{phone}>-"
    return f"{phone}>+{heard.split()[-1]}" if " " in heard else f"{phone}>{heard}"


@functools.cache
def _margins_file() -> dict[str, dict[str, float]]:
    path = resources.files("lingxi.engines.pronounce").joinpath("margins.yaml")
    raw = yaml.safe_load(path.read_text("utf-8")) if path.is_file() else None
    return {part: {str(k): float(v) for k, v in ((raw or {}).get(part) or {}).items()}
            for part in ("pairs", "classes", "first")}


def pair_margins() -> dict[str, float]:
    """The margins decided per error on the development set (bench/calibrate_pronounce.py)."""
    return _margins_file()["pairs"]


def class_margins() -> dict[str, float]:
    """The margins pooled per kind of error (`error_class`), for errors without their own."""
    return _margins_file()["classes"]


def first_margins() -> dict[str, float]:
    """The margins of errors at a word's first sound where that differs from the error's own
    (round 41: n said as l, `margins.yaml` `first`)."""
    return _margins_file()["first"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decided on the development half of the evaluation set (bench/bench_pronounce.py)."""

    # A substitute must fit better than the target by this, per frame of the target phone (the
    # best rate of right phones named with at most 10% false alarms on the development half).
    margin: float = 20.0
    margin_edit: float = 60.0  # the same for a dropped or added sound (a shorter or longer
    # word fits silence and stop closures too easily)
    # Below this GOP (per frame) a phone is wrong even with no typical error named; None: off
    # (not yet tuned: on the development set only named errors were judged).
    gop: float | None = None
    gop_mid: float = -25.0  # GOP that maps to a phone score of 50 ...
    gop_scale: float = 10.0  # ... and how fast the score rises above it
    # Shifts of the frame grid the errors are judged on, for one word; a sentence of n words
    # gets views // n (at least 2): the alignments per attempt stay about the same.
    views: int = 8
    # Per error ("TH>S") and per kind of error ("vowel"), replacing `margin`/`margin_edit`;
    # None: those in margins.yaml.
    pair_margins: dict[str, float] | None = None
    class_margins: dict[str, float] | None = None

    def margin_for(self, variant: Variant, phone: str) -> float:
        """The error's margin: at a word's first sound (`variant.index` 0) its `first` margin
        where margins.yaml has one (not with `pair_margins` given: the calibration's own), else
        its own, else its kind's, else the default."""
        pairs = pair_margins() if self.pair_margins is None else self.pair_margins
        kinds = class_margins() if self.class_margins is None else self.class_margins
        name = pair(phone, variant.heard)
        first = first_margins().get(name) if variant.index == 0 and self.pair_margins is None \
            else None
        if first is not None:
            return first
        default = self.margin if variant.kind == "substitute" else self.margin_edit
        return pairs.get(name, kinds.get(error_class(name), default))
