"""Which margin an error is judged by: its own where the development attempts had it, else the
one pooled over its kind (a held-out error such as ð→z must not fall back to a guess)."""

from __future__ import annotations

from lingxi.engines.pronounce import Thresholds
from lingxi.engines.pronounce.variants import error_class, load_confusions, variants


def test_errors_are_sorted_into_kinds() -> None:
    assert [error_class(e) for e in ("TH>S", "IH>IY", "R>L", "N>NG", "D>-", "K>+AH")] == \
        ["consonant", "vowel", "liquid", "liquid", "dropped", "added"]


def test_an_error_without_its_own_margin_gets_its_kinds() -> None:
    t = Thresholds(pair_margins={"TH>S": 7.0}, class_margins={"consonant": 3.0, "added": 40.0})
    this = {v.heard: v for v in variants(("DH", "IH", "S"), load_confusions())}
    think = {v.heard: v for v in variants(("TH", "IH", "NG", "K"), load_confusions())}
    good = {v.heard: v for v in variants(("G", "UH", "D"), load_confusions())}
    assert t.margin_for(think["S"], "TH") == 7.0  # its own
    assert t.margin_for(this["Z"], "DH") == 3.0  # never seen: its kind's
    assert t.margin_for(think["K AH"], "K") == 40.0
    assert t.margin_for(good[""], "D") == t.margin_edit  # no kind either: the default


def test_a_final_voiceless_stop_is_not_judged_dropped() -> None:
    """Unreleased in correct speech too ("cup" read correctly fitted "cu" best)."""
    heard = {v.heard for v in variants(("TH", "IH", "NG", "K"), load_confusions())}
    assert "" not in heard and "K AH" in heard
    assert "" in {v.heard for v in variants(("G", "UH", "D"), load_confusions())}


def test_the_shipped_margins_cover_every_kind() -> None:
    from lingxi.engines.pronounce.sphinx import class_margins

    assert set(class_margins()) == {"consonant", "vowel", "liquid", "dropped", "added"}
