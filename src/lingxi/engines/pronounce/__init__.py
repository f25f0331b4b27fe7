"""Pronunciation scoring: pocketsphinx forced alignment against the target words, a free phone
loop for Goodness of Pronunciation, and the typical substitutions of Mandarin speakers tried as
alternative pronunciations, so that a wrong phone is named, not only found."""

from __future__ import annotations

from lingxi.engines.pronounce.sphinx import SphinxScorer, Thresholds

__all__ = ["SphinxScorer", "Thresholds"]
