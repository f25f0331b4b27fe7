"""A short sound over a reply is a false interruption even when the recogniser made a stray
word of it; a question, a "stop" or real words over the reply are answered."""

from __future__ import annotations

from lingxi.engines.fake import SpeechScript
from lingxi.skills import default_skills
from lingxi.skills.resume import sounding_s
from lingxi.skills.testing import run_turn
from lingxi.turn import TurnAudio

SKILLS = default_skills()
CUT = "天上有一朵小云，特别害羞。"


def _audio(seconds: float) -> TurnAudio:
    """The caller's turn as the call keeps it: 300 ms of padding, the sound, then silence."""
    script = SpeechScript().say(0.3, 0.3 + seconds, "x")
    pcm = script.render(16_000, seconds + 1.0)
    return TurnAudio(pcm, 16_000, 0.0, 1000.0 * (seconds + 1.0))


def test_the_sound_is_measured_without_the_padding_and_the_closing_silence() -> None:
    assert abs(sounding_s(_audio(0.4)) - 0.4) <= 0.04
    assert abs(sounding_s(_audio(1.5)) - 1.5) <= 0.04


async def test_a_short_sound_heard_as_a_stray_word_carries_the_reply_on() -> None:
    # "嗯" and "mm-hmm" in a synthetic voice came back as "灯" and "Enama".
    for heard in ("灯", "唉……浩灯", "叠叠叠", "Enama.", "Mm."):
        run = await run_turn(SKILLS, heard, cut_short=CUT, audio=_audio(0.4))
        assert run.skill == "resume", heard
        assert run.said.endswith(CUT)


async def test_english_carries_on_with_a_space_between_the_sentences() -> None:
    run = await run_turn(SKILLS, "uh-huh", cut_short="There was once a little cloud.",
                         language="en")
    assert run.skill == "resume"
    assert run.said.endswith(". There was once a little cloud.")


async def test_a_backchannel_the_recogniser_repeated_is_still_one() -> None:
    for heard in ("对对对对对。", "嗯嗯嗯嗯", "Yeah, yeah, right.", "Okay okay."):
        run = await run_turn(SKILLS, heard, cut_short=CUT)
        assert run.skill == "resume", heard
    run = await run_turn(SKILLS, "对不对", cut_short=CUT)
    assert run.skill != "resume"


async def test_a_short_question_or_stop_over_the_reply_is_answered() -> None:
    for heard in ("谁？", "停！", "等一下", "Wait.", "What?", "No."):
        run = await run_turn(SKILLS, heard, cut_short=CUT, audio=_audio(0.4))
        assert run.skill != "resume", heard


async def test_a_longer_utterance_over_the_reply_is_answered() -> None:
    run = await run_turn(SKILLS, "灯泡", cut_short=CUT, audio=_audio(1.6))
    assert run.skill != "resume"
    run = await run_turn(SKILLS, "我今天有点饿", cut_short=CUT, audio=_audio(0.7))
    assert run.skill != "resume"


async def test_a_stray_word_without_a_reply_to_resume_is_answered() -> None:
    run = await run_turn(SKILLS, "灯", audio=_audio(0.4))
    assert run.skill != "resume"
