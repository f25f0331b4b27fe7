"""A story on a theme the library lacks, made up by a language model (a scripted fake writer
here; the embedded model in test_parody_embedded.py): told as the model writes it, by the
storyteller, within its length; a failing or slow model gives an honest word and a library
story instead, as no model does (test_story.py)."""

from __future__ import annotations

import pytest

from lingxi.companion.data import stories
from lingxi.engines.fake import FakeWriter
from lingxi.skills import StoryTeller, default_skills
from lingxi.skills.story.requests import lines, made_up
from lingxi.skills.testing import run_turn
from lingxi.text import HAN
from lingxi.turn.segments import Say

HEDGEHOG = ("从前，森林里住着一只小刺猬。它很想交朋友。可是大家都怕它的刺。"
            "后来，它帮小兔子摘到了果子。大家都喜欢上了它。")


async def test_a_story_on_a_theme_is_made_up_and_told_as_it_is_written() -> None:
    writer = FakeWriter([HEDGEHOG])
    run = await run_turn(default_skills(writer=writer), "讲一个关于小刺猬的故事")
    assert run.skill == "story" and run.said == HEDGEHOG
    assert len([s for s in run.segments if isinstance(s, Say)]) > 3  # clause by clause
    asked = writer.asked[0]
    assert asked.spoken and asked.messages[-1].text == "讲一个关于小刺猬的故事"
    assert "故事" in asked.messages[0].text  # the storyteller's instructions


async def test_an_english_request_is_made_up_in_english() -> None:
    story = "Once upon a time, a brave little snail wanted to see the sea. " * 3
    writer = FakeWriter([story])
    run = await run_turn(default_skills(writer=writer),
                         "Tell me a story about a brave little snail")
    assert run.skill == "story" and run.said == story
    assert "story" in writer.asked[0].messages[0].text


async def test_a_story_that_runs_on_ends_at_the_sentence_after_its_length() -> None:
    sentence = "小刺猬走啊走，走到了河边。"
    writer = FakeWriter([sentence * 60])  # 660 characters
    run = await run_turn(default_skills(writer=writer), "讲一个关于小刺猬的故事")
    told = len(HAN.findall(run.said))
    assert made_up("zh").longest <= told <= made_up("zh").longest + len(sentence)
    assert run.said.endswith("。")


@pytest.mark.parametrize("writer", [FakeWriter(fail=True), FakeWriter(stall=True),
                                    FakeWriter([""])], ids=["down", "slow", "silent"])
async def test_a_failing_or_slow_model_gives_an_honest_word_and_a_library_story(
        writer: FakeWriter) -> None:
    run = await run_turn([StoryTeller(writer, first_words_s=0.2)], "讲一个关于小刺猬的故事")
    assert run.skill == "story" and run.said.startswith(lines("zh").no_model[0])
    assert any(s.part_list("zh")[0] in run.said for s in stories())


async def test_a_named_library_story_is_still_the_librarys() -> None:
    writer = FakeWriter([HEDGEHOG])
    run = await run_turn(default_skills(writer=writer), "讲龟兔赛跑的故事")
    assert run.skill == "story" and not writer.asked
