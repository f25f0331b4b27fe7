"""Where the scorer cuts an attempt out of its turn: all of the speech, a weak fricative or a
stop's release at the word's edge included (they lie 30–45 dB below the vowel), and nothing
of a turn without speech."""

from __future__ import annotations

import numpy as np

from lingxi.engines.pronounce import sphinx

RATE = 16000


def _vowel(seconds: float, amp: float = 8000.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    out: np.ndarray = amp * (np.sin(2 * np.pi * 150 * t) + 0.4 * np.sin(2 * np.pi * 700 * t))
    return out


def _hiss(seconds: float, amp: float, seed: int = 3) -> np.ndarray:
    out: np.ndarray = np.random.default_rng(seed).normal(0, amp, int(seconds * RATE))
    return out


def _turn(*parts: np.ndarray, floor: float = 1.0) -> np.ndarray:
    """Quiet either side, a faint noise floor throughout (as the call hands a turn over)."""
    quiet = np.zeros(RATE // 4)
    x = np.concatenate([quiet, *parts, quiet])
    out: np.ndarray = (x + np.random.default_rng(0).normal(0, floor, x.shape)).astype(
        np.float32)
    return out


def _kept(audio: np.ndarray) -> tuple[float, float]:
    """(start, end) of the kept stretch in the turn, seconds, found by matching samples."""
    kept = sphinx._trimmed(audio)
    starts = [i for i in range(0, len(audio) - len(kept) + 1, RATE // 100)
              if np.array_equal(audio[i:i + len(kept)], kept)]
    assert starts, "the kept stretch is a slice of the turn"
    return starts[0] / RATE, (starts[0] + len(kept)) / RATE


def test_a_weak_final_fricative_is_kept_whole() -> None:
    # "moth": a vowel, then 120 ms of frication 40 dB below it (piper's final th): all of it
    # must reach the alignment, or a correct th reads as a stop (th→t) or as nothing.
    fricative = _hiss(0.12, 60.0)
    audio = _turn(_vowel(0.3), fricative)
    _, end = _kept(audio)
    assert end >= 0.25 + 0.3 + 0.12


def test_a_release_after_a_silent_closure_is_kept() -> None:
    # "cup": the vowel, 60 ms of closure, a faint 30 ms release.
    audio = _turn(_vowel(0.3), np.zeros(int(0.06 * RATE)), _hiss(0.03, 80.0))
    _, end = _kept(audio)
    assert end >= 0.25 + 0.3 + 0.06 + 0.03


def test_the_quiet_around_the_attempt_is_still_left_out() -> None:
    start, end = _kept(_turn(_vowel(0.3)))
    assert start >= 0.25 - 0.06 and end <= 0.25 + 0.3 + 0.07


def test_a_turn_without_speech_is_nothing_said() -> None:
    assert len(sphinx._trimmed(_turn(np.zeros(RATE // 2), floor=2.0))) == 0


def test_in_loud_noise_no_more_is_cut_than_before() -> None:
    # At 10 dB SNR the noise is above the 30 dB threshold: the whole turn is kept, as it was.
    audio = _turn(_vowel(0.3), floor=1500.0)
    start, end = _kept(audio)
    assert start <= 0.01 and end >= len(audio) / RATE - 0.01
