"""A caller who says stop to a story or a song ("我不想听故事了，我们聊聊天吧", "别唱了",
"stop the story") is answered by the responder, which stops and turns to talk; asking for a
story ("讲个故事", "再讲一个", "…换个故事") still starts one."""

from __future__ import annotations

import pytest

from lingxi.clock import MonotonicClock
from lingxi.companion.data import stories
from lingxi.companion.responder import CompanionResponder
from lingxi.engines.fake import FakeTTS, SpeechScript
from lingxi.interfaces import ChatMessage
from lingxi.skills import ResponderSkill, default_skills
from lingxi.skills.sing.library import song
from lingxi.skills.testing import run_turn
from lingxi.turn import TurnAudio

# 8 kHz: the singer needs a voice to claim at all; the sound is not what is tested here.
SKILLS = default_skills(FakeTTS(MonotonicClock(), sample_rate=8000, ms_per_char=120.0))

STOP_STORY = [
    ("我不想听故事了，我们聊聊天吧", "zh"), ("别讲了", "zh"), ("不要讲了，我们聊会儿", "zh"),
    ("我不想听了", "zh"), ("不听了", "zh"), ("故事别讲了", "zh"),
    ("stop the story", "en"), ("I don't want to hear a story anymore, let's chat", "en"),
    ("no more stories please", "en"), ("okay that's enough, let's talk", "en"),
]
STOP_SONG = [("不要唱了", "zh"), ("别唱了，我们聊天吧", "zh"), ("我不想听歌了", "zh"),
             ("stop singing", "en"), ("no more songs, let's talk", "en")]
START = [("讲个故事", "zh"), ("再讲一个", "zh"), ("不想听这个故事了，换个故事吧", "zh"),
         ("tell me a story", "en"), ("another story please", "en")]


def _short(seconds: float = 0.5) -> TurnAudio:
    pcm = SpeechScript().say(0.3, 0.3 + seconds, "x").render(16_000, seconds + 1.0)
    return TurnAudio(pcm, 16_000, 0.0, 1000.0 * (seconds + 1.0))


async def _story_heard(lang: str) -> list[ChatMessage]:
    """A call where a story was asked for and its first part is being told (cut mid-way)."""
    ask = "讲个故事" if lang == "zh" else "tell me a story"
    told = await run_turn(SKILLS, ask)
    return [ChatMessage("user", ask), ChatMessage("assistant", told.said[:60])]


def _parts_in(text: str) -> set[str]:
    return {s.id for s in stories() for lang in ("zh", "en")
            for part in s.part_list(lang) if part[:8] in text}


@pytest.mark.parametrize(("text", "lang"), STOP_STORY)
async def test_stopping_a_story_goes_to_the_responder_and_no_story_is_told(
        text: str, lang: str) -> None:
    history = await _story_heard(lang)
    run = await run_turn(SKILLS, text, history=history, cut_short=history[-1].text)
    assert run.skill == "fallback-fake", run.said  # neither the storyteller nor "resume"
    short = await run_turn(SKILLS, text, history=history, cut_short=history[-1].text,
                           audio=_short())  # said quickly over the story: still a stop
    assert short.skill == "fallback-fake", short.said
    # The offline responder stops too: it tells no story and says something else.
    companion = await run_turn(SKILLS, text, history=history,
                               fallback=ResponderSkill(CompanionResponder()))
    assert companion.said and not _parts_in(companion.said), companion.said


@pytest.mark.parametrize(("text", "lang"), STOP_SONG)
async def test_stopping_a_song_goes_to_the_responder(text: str, lang: str) -> None:
    tune = song("twinkle-zh" if lang == "zh" else "twinkle-en").captions()
    history = (ChatMessage("user", "唱首歌"), ChatMessage("assistant", "".join(tune)[:10]))
    run = await run_turn(SKILLS, text, history=history)
    assert run.skill == "fallback-fake", run.said  # not a song called "了"
    companion = await run_turn(SKILLS, text, history=history,
                               fallback=ResponderSkill(CompanionResponder()))
    assert companion.said and not _parts_in(companion.said), companion.said


@pytest.mark.parametrize(("text", "lang"), START)
async def test_asking_for_a_story_still_starts_a_new_one(text: str, lang: str) -> None:
    history = await _story_heard(lang)
    run = await run_turn(SKILLS, text, history=history)
    assert run.skill == "story", run.said
    told = _parts_in(run.said)
    assert told and not told & _parts_in(history[-1].text)  # another story, from its start


async def test_a_stop_then_a_song_asked_for_is_sung() -> None:
    run = await run_turn(SKILLS, "我不想听故事了，唱首小星星吧", history=await _story_heard("zh"))
    assert run.skill == "sing"
