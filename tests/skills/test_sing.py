"""The singing skill without a server: what it claims, which song and phrase it sings, and
what it says when it cannot. The voice is the fake synthesizer (a steady tone per syllable):
the sung audio's shape is tested here, its tuning in test_sing_audio.py."""

from __future__ import annotations

import numpy as np
import parselmouth
import pytest
from pydantic import ValidationError

from lingxi.clock import MonotonicClock
from lingxi.engines.fake import FakeTTS
from lingxi.interfaces import ChatMessage
from lingxi.skills import default_skills
from lingxi.skills.sing.library import Phrase, library, song
from lingxi.skills.testing import run_turn
from lingxi.turn import Audio

# 8 kHz: WORLD's cost grows with the rate, and these tests are about the plan, not the sound.
SKILLS = default_skills(FakeTTS(MonotonicClock(), sample_rate=8000, ms_per_char=120.0))


def sung(captions: list[str], upto: int) -> tuple[ChatMessage, ...]:
    """A history where the caller asked for a song and heard its lines up to `upto`
    characters (the history keeps only what was heard)."""
    return (ChatMessage("user", "唱首歌"), ChatMessage("assistant", "".join(captions)[:upto]))


def test_the_library_holds_at_least_eight_songs_in_both_languages_with_their_sources() -> None:
    songs = library()
    assert len(songs) >= 8
    assert {s.language for s in songs} == {"zh", "en"}
    for s in songs:
        assert s.tune and s.words and s.licence
        assert all(p.score() for p in s.phrases)


def test_a_phrase_whose_notes_and_syllables_do_not_line_up_is_refused_on_load() -> None:
    with pytest.raises(ValidationError, match="3 notes but 2 lyric tokens"):
        Phrase(notes="C4 D4 E4", lyrics="一 闪")
    with pytest.raises(ValidationError, match="not a note"):
        Phrase(notes="C4 H4", lyrics="一 闪")


@pytest.mark.parametrize(("asked", "song_id"), [
    ("唱两句小星星", "twinkle-zh"), ("sing Twinkle Twinkle", "twinkle-en"),
    ("给我唱《送别》吧", "songbie-zh"), ("Can you sing Jingle Bells?", "jingle-en"),
])
async def test_a_named_song_is_sung_line_by_line_with_its_lyrics_as_captions(
        asked: str, song_id: str) -> None:
    run = await run_turn(SKILLS, asked)
    assert run.skill == "sing"
    lines = [s for s in run.segments if isinstance(s, Audio)]
    assert [a.caption for a in lines] == song(song_id).captions()
    assert all(len(a.pcm) > a.sample_rate for a in lines)  # every line is sung, not skipped
    assert not run.said


async def test_sing_a_song_picks_one_from_the_library_in_the_callers_language() -> None:
    run = await run_turn(SKILLS, "唱首歌")
    first = run.expect.next(Audio)
    assert any(first.caption == s.captions()[0] for s in library() if s.language == "zh")


async def test_switching_songs_sings_the_one_asked_for_from_its_start() -> None:
    twinkle = song("twinkle-zh").captions()
    run = await run_turn(SKILLS, "换一首，唱两只老虎", history=sung(twinkle, 10))
    assert run.expect.next(Audio).caption == song("tigers-zh").captions()[0]


async def test_switching_without_a_name_sings_a_different_song() -> None:
    twinkle = song("twinkle-zh").captions()
    run = await run_turn(SKILLS, "换一首", history=sung(twinkle, 10))
    assert run.expect.next(Audio).caption != twinkle[0]


async def test_go_on_resumes_at_the_line_that_was_cut() -> None:
    twinkle = song("twinkle-zh").captions()
    heard = len(twinkle[0]) + len(twinkle[1]) + 3  # two lines, then three characters
    run = await run_turn(SKILLS, "接着唱", history=sung(twinkle, heard))
    assert [a.caption for a in run.segments if isinstance(a, Audio)] == twinkle[2:]


async def test_go_on_after_a_whole_line_starts_the_next_one() -> None:
    jacques = song("jacques-en").captions()
    run = await run_turn(SKILLS, "keep singing", history=sung(jacques, len(jacques[0])))
    assert run.expect.next(Audio).caption == jacques[1]


async def test_faster_sings_the_rest_at_a_quicker_tempo() -> None:
    twinkle = song("twinkle-zh").captions()
    history = sung(twinkle, len(twinkle[0]) + 2)
    again = (await run_turn(SKILLS, "接着唱", history=history)).expect.next(Audio)
    faster = (await run_turn(SKILLS, "唱快一点", history=history)).expect.next(Audio)
    assert faster.caption == again.caption == twinkle[1]
    assert len(faster.pcm) / len(again.pcm) == pytest.approx(1 / 1.2, abs=0.02)


async def test_only_a_backchannel_over_a_song_sings_on_from_the_cut_line() -> None:
    twinkle = song("twinkle-zh").captions()
    heard = len(twinkle[0]) + 3
    run = await run_turn(SKILLS, "嗯嗯", history=sung(twinkle, heard),
                         cut_short="".join(twinkle)[len(twinkle[0]):])
    assert run.skill == "sing"
    assert run.expect.next(Audio).caption == twinkle[1]


def _median_semitones(audio: Audio) -> float:
    x = audio.pcm.astype(np.float64) / 32768.0
    f0 = parselmouth.Sound(x, sampling_frequency=audio.sample_rate).to_pitch(
        time_step=0.01, pitch_floor=70, pitch_ceiling=900).selected_array["frequency"]
    return float(12 * np.log2(np.median(f0[f0 > 0]) / 440.0))


async def test_higher_twice_sings_four_semitones_higher() -> None:
    twinkle = song("twinkle-zh").captions()
    history = sung(twinkle, len(twinkle[0]) + 2)
    same = (await run_turn(SKILLS, "接着唱", history=history)).expect.next(Audio)
    higher = (*history, ChatMessage("user", "高一点"), ChatMessage("assistant", twinkle[1][:2]))
    run = await run_turn(SKILLS, "再高一点", history=higher)
    assert run.expect.next(Audio).caption == twinkle[1]
    raised = _median_semitones(run.segments[0]) - _median_semitones(same)  # type: ignore[arg-type]
    assert raised == pytest.approx(4.0, abs=0.2)


@pytest.mark.parametrize(("asked", "named"), [
    ("唱两句稻香", "稻香"), ("给我唱《勇气》", "勇气"), ("sing Happy Birthday", "生日快乐歌"),
])
async def test_a_song_under_copyright_gets_an_honest_answer_and_a_suggestion(
        asked: str, named: str) -> None:
    run = await run_turn(SKILLS, asked)
    assert run.skill == "sing"
    assert not [s for s in run.segments if isinstance(s, Audio)]
    said = run.said
    assert named in said and ("版权" in said or "copyright" in said)
    assert any(s.name("zh") in said or s.name("en") in said for s in library())


async def test_an_unknown_song_is_owned_up_to_with_what_can_be_sung() -> None:
    run = await run_turn(SKILLS, "can you sing Bohemian Rhapsody")
    assert "bohemian rhapsody" in run.said.lower() and "Twinkle" in run.said


@pytest.mark.parametrize("said", ["我昨天去KTV唱歌了", "快一点", "高一点好还是低一点好",
                                  "She sings in a choir."])
async def test_talk_about_singing_or_speed_is_not_a_request(said: str) -> None:
    assert (await run_turn(SKILLS, said)).skill != "sing"


async def test_go_on_with_no_song_sung_yet_offers_the_list() -> None:
    run = await run_turn(SKILLS, "接着唱")
    assert "小星星" in run.said


async def test_without_a_voice_the_skill_leaves_singing_to_the_responder() -> None:
    assert (await run_turn(default_skills(), "唱首歌")).skill != "sing"
