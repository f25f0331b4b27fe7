"""The sung notes are in tune and on the beat, measured on the output audio with Praat (not
the WORLD analysis that made it), in the real voices: the first line of two songs here (all
songs, whole, in bench/bench_sing.py)."""

from __future__ import annotations

import numpy as np
import pytest

from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import Voice
from lingxi.skills.sing.library import song
from lingxi.skills.sing.singer import Performance, Singer
from tests.skills.sing_measure import measure, score

MAX_MEDIAN_CENTS = 20.0
MAX_ONSET_MS = 30.0


@pytest.fixture(scope="module")
def singer() -> Singer:
    return Singer(LocalTTS.load())


@pytest.mark.parametrize(("song_id", "voice"), [("twinkle-zh", "zh"), ("jacques-en", "en")])
async def test_the_first_line_is_in_tune_and_on_the_beat(singer: Singer, song_id: str,
                                                         voice: str) -> None:
    sung = singer.sing(Performance(song(song_id)), Voice(voice))
    first = await anext(sung)
    await sung.aclose()
    assert first.caption == song(song_id).captions()[0]
    m = measure(first.pcm, first.sample_rate, score(song(song_id), [0]))
    assert m.median_cents <= MAX_MEDIAN_CENTS, m.cents
    assert len(m.onsets_ms) >= 0.75 * m.notes, m.onsets_ms  # most onsets can be measured
    assert max(np.abs(m.onsets_ms)) <= MAX_ONSET_MS, m.onsets_ms
    assert m.shift_cents % 1200 == pytest.approx(0, abs=30) or \
        m.shift_cents % 1200 == pytest.approx(1200, abs=30)  # sung in the written key
