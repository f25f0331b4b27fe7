"""The caller's voice, on generated speech (tests/affect/speech.py): whispers are told from
speech, and a turn said livelier or lower than the caller's own usual voice reads so."""

from __future__ import annotations

import numpy as np
import pytest

from lingxi.engines.affect import CallerAffect, measure
from tests.affect.speech import RATE, SENTENCES, SPEAKERS, Speaker, clips, speak

ESPEAK = [s for s in SPEAKERS if s.kind == "espeak" and not s.heldout]


def kind(affect_label: str, whispering: bool) -> str:
    if whispering:
        return "whisper"
    return {"happy": "lively", "angry": "lively", "anxious": "lively", "sad": "low",
            "tired": "low"}.get(affect_label, "neutral")


@pytest.mark.parametrize("speaker", ESPEAK, ids=lambda s: s.name)
def test_whispers_are_told_from_speech(speaker: Speaker) -> None:
    for label in ("neutral", "lively", "low", "whisper"):
        for text in SENTENCES[speaker.lang][:2]:
            measures = measure(speak(speaker, text, label), RATE)
            assert measures is not None
            assert measures.whispering == (label == "whisper"), (label, text)


def test_whisper_detection_over_the_generated_set_is_at_least_95_percent() -> None:
    right = total = 0
    for speaker in ESPEAK:
        reader = CallerAffect()
        for clip in clips(speaker, per_class=2):
            affect = reader.listen(clip.pcm, RATE)(clip.text)
            if clip.label:
                total += 1
                right += affect.whispering == (clip.label == "whisper")
    assert right / total >= 0.95


def test_a_livelier_or_lower_turn_reads_so_against_the_callers_own_voice() -> None:
    speaker = ESPEAK[0]
    reader = CallerAffect()
    first = reader.listen(speak(speaker, SENTENCES["en"][0], "neutral"), RATE)(SENTENCES["en"][0])
    assert first.label == "neutral"  # no baseline yet: the voice alone says nothing
    reader.listen(speak(speaker, SENTENCES["en"][1], "neutral"), RATE)(SENTENCES["en"][1])
    text = SENTENCES["en"][2]
    lively = reader.listen(speak(speaker, text, "lively"), RATE)(text)
    low = reader.listen(speak(speaker, text, "low"), RATE)(text)
    assert kind(lively.label, lively.whispering) == "lively"
    assert {"pitch_high", "loud"} <= set(lively.cues)
    assert kind(low.label, low.whispering) == "low"
    assert {"pitch_low", "soft", "slow"} <= set(low.cues)
    assert lively.arousal > 0.3 > -0.3 > low.arousal


def test_a_deep_voice_is_not_a_sad_one() -> None:
    """The baseline is the caller's own: a low voice that stays low reads as usual."""
    low_speaker = ESPEAK[0]
    reader = CallerAffect()
    for text in SENTENCES["en"][:4]:
        affect = reader.listen(speak(low_speaker, text, "low"), RATE)(text)
    assert kind(affect.label, affect.whispering) == "neutral"


def test_the_words_decide_when_the_voice_says_nothing_new() -> None:
    speaker = ESPEAK[0]
    reader = CallerAffect()
    for text in SENTENCES["en"][:2]:
        reader.listen(speak(speaker, text, "neutral"), RATE)(text)
    text = "I passed my driving test, I'm so happy"
    assert reader.listen(speak(speaker, text, "neutral"), RATE)(text).label == "happy"


def test_silence_and_scraps_are_not_judged() -> None:
    assert measure(np.zeros(RATE, np.int16), RATE) is None
    assert measure(np.zeros(RATE // 10, np.int16), RATE) is None
    assert CallerAffect().listen(np.zeros(RATE, np.int16), RATE)("好累").label == "tired"
