"""Round 34 (docs/pronunciation.md): a word with a weak form ("can", "had", "am", "your") is
said with its vowel reduced in running speech, so in an attempt of more than one word its
vowel's errors are not tried; alone it is said strong and they are; its consonants always are,
and words without a weak form keep every error."""

from __future__ import annotations

from typing import Any

import pytest

from lingxi.engines.pronounce.sphinx import _UNJUDGED, _WEAK, SphinxScorer
from lingxi.engines.pronounce.variants import is_vowel

pytest.importorskip("pocketsphinx")


class _Fits(SphinxScorer):
    """Every text fits the one view equally: only which errors are tried is looked at."""

    def _fit(self, audio: Any, text: str) -> float | None:
        return 0.0


@pytest.fixture(scope="module")
def scorer() -> _Fits:
    return _Fits()


def _tried(scorer: _Fits, words: list[str], at: int) -> set[tuple[str, str]]:
    phones = scorer.phones(words[at])
    assert phones is not None
    return {(phones[v.index], v.heard)
            for v, _ in scorer.gains([(None, 0.0)], words, at, phones)}  # type: ignore[list-item]


def test_a_weak_forms_vowel_is_not_tried_in_running_speech(scorer: _Fits) -> None:
    running = _tried(scorer, ["can", "i", "see", "a", "menu"], 0)
    alone = _tried(scorer, ["can"], 0)
    assert any(is_vowel(p) for p, _ in alone)  # "can" alone: æ said ɛ is tried
    assert not any(is_vowel(p) for p, _ in running)
    assert {x for x in alone if not is_vowel(x[0])} == running  # its consonants still are


def test_a_weak_forms_consonant_is_still_tried(scorer: _Fits) -> None:
    assert ("DH", "D") in _tried(scorer, ["that", "is", "mine"], 0)


def test_other_words_keep_their_vowels(scorer: _Fits) -> None:
    assert ("AE", "EH") in _tried(scorer, ["can", "i", "see", "a", "pancake"], 4)


def test_the_weak_forms_are_not_the_unjudged_words() -> None:
    assert not _WEAK & _UNJUDGED
