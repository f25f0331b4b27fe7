"""Parody words and a made-up story from the embedded model, for real (the weights are
installed with Lingxi, as in tests/responder/test_embedded.py): four held-out themes (two
Chinese, two English) on short tunes get the model's words with every line's syllable count
right; a story on a theme is made up; and through a real server with the real voices, a
parody request is sung. The model's words are judged by counts, never by what they say.
The 20-theme run with numbers is bench/bench_parody.py. About two minutes on a busy 2-core
machine."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import websockets

from lingxi.assemble import build_writer
from lingxi.config import Settings
from lingxi.engines.llm.embedded import ModelServer
from lingxi.interfaces import Writer
from lingxi.skills import StoryTeller
from lingxi.skills.sing.library import song
from lingxi.skills.sing.lyricist import write_parody
from lingxi.skills.sing.parody import syllables_per_phrase
from lingxi.skills.story.requests import lines, made_up
from lingxi.skills.testing import run_turn
from lingxi.text import HAN
from tests.responder.live import TextCaller, embedded_model, real_voice_server

# Generous: what is checked is the words, not how fast a busy machine writes them.
PATIENT_S = 120.0


@pytest.fixture(scope="module")
def model() -> Iterator[ModelServer]:
    with embedded_model(4096) as server:
        yield server


def settings_for(model: ModelServer) -> Settings:
    return Settings(engines="local", llm_base_url=model.base_url, llm_read_timeout_s=60.0,
                    duties=False, memory=False)


@pytest.fixture(scope="module")
def writer(model: ModelServer) -> Writer:
    made = build_writer(settings_for(model))
    assert made is not None
    return made


@pytest.mark.parametrize(("tune", "theme", "lang"), [
    ("twinkle-zh", "考试", "zh"), ("tigers-zh", "火锅", "zh"),
    ("twinkle-en", "pizza", "en"), ("jacques-en", "the beach", "en")])
async def test_the_models_parody_has_every_lines_syllable_count_right(
        writer: Writer, tune: str, theme: str, lang: str) -> None:
    parody = await write_parody(writer, song(tune), theme, lang,  # type: ignore[arg-type]
                                limit_s=PATIENT_S)
    assert parody.outcome != "offline"  # the model's words, repaired or fitted as needed
    heard = [len(p.syllables()) for p in parody.song.phrases]
    assert heard == syllables_per_phrase(song(tune))


async def test_a_story_on_a_theme_is_made_up_by_the_model(writer: Writer) -> None:
    run = await run_turn([StoryTeller(writer, first_words_s=PATIENT_S)], "讲一个关于小刺猬的故事")
    assert run.skill == "story" and not run.said.startswith(lines("zh").no_model[0])
    told = len(HAN.findall(run.said))
    assert 60 <= told <= made_up("zh").longest + 80, run.said


async def test_a_parody_asked_for_in_a_call_is_sung_with_every_line_in_time(
        model: ModelServer) -> None:
    tune = song("tigers-zh")
    with real_voice_server(settings_for(model)) as port:
        async with websockets.connect(f"ws://127.0.0.1:{port}/v1/realtime?model=lingxi-test",
                                      max_size=None) as ws:
            caller = TextCaller(ws)
            await caller.until("session.created")
            turn = await caller.say("把两只老虎改成关于周末的歌")
    assert turn.of("response.output_audio.delta")
    assert turn.of("response.done")[-1]["response"]["status"] == "completed"
    sung = turn.transcript.split("：", 1)[1]  # after the lead-in line
    heard = [len(HAN.findall(x)) for x in re.split("[，。]", sung) if x]
    assert heard == syllables_per_phrase(tune)
