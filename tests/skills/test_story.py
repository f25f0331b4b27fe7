"""The storyteller (skills/story): the library is whole, a story is told a part at a time in the
asked persona's voice, a question in between goes to the responder and "继续讲" resumes at the
clause the caller stopped hearing, a bookmark carries it to the next call, and sentences that
merely mention 故事 / story are left alone."""

from __future__ import annotations

import pytest

from lingxi.companion.data import LANGUAGES, Story, _checked, dialogue, stories
from lingxi.interfaces import ChatMessage
from lingxi.personas import builtin_book
from lingxi.skills import default_skills
from lingxi.skills.story.requests import bookmark_place, bookmark_text, lines
from lingxi.skills.testing import MemoryFake, RunResult, run_turn
from lingxi.turn.segments import Say

SKILLS = default_skills()


def said_lines(lang: str, group: str) -> tuple[str, ...]:
    """The companion's lines around a story's parts (the default persona's words)."""
    return dialogue(lang).lines[group]


def story(story_id: str) -> Story:
    return next(s for s in stories() if s.id == story_id)


def told(run: RunResult) -> list[ChatMessage]:
    """The turn and its reply as the history keeps them (all of it heard)."""
    return [ChatMessage("user", run.turn.text), ChatMessage("assistant", run.said)]


# -- the library ------------------------------------------------------------------------------

def test_every_story_is_told_in_both_languages_by_a_known_persona() -> None:
    library = stories()
    book = builtin_book()
    assert len(library) >= 12
    for s in library:
        assert s.persona in book, s.id
        parts = [s.part_list(lang) for lang in LANGUAGES]
        assert len(parts[0]) == len(parts[1]) >= 2, s.id
        assert all(s.aliases.get(lang) for lang in LANGUAGES), s.id
    names = [n for s in library for lang in LANGUAGES for n in s.names(lang)]
    assert len(names) == len(set(names))
    tellers = {s.persona for s in library}
    assert {"sunwukong", "lindaiyu", "storyteller"} <= tellers


def test_a_library_with_a_name_used_twice_or_one_language_missing_is_refused() -> None:
    moon = story("moon_postman")
    twin = moon.model_copy(update={"id": "twin", "parts": story("shy_cloud").parts})
    with pytest.raises(ValueError, match="used by"):
        _checked((moon, twin))
    half = moon.model_copy(update={"parts": moon.parts.model_copy(update={"en": ()})})
    with pytest.raises(ValueError, match="parts"):
        _checked((half,))


# -- asking for a story ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "story_id"), [
    ("讲三打白骨精", "three_fights_bone_demon"), ("给我讲讲黛玉葬花吧", "daiyu_buries_flowers"),
    ("我想听龟兔赛跑", "tortoise_and_hare"),
    ("tell me the tortoise and the hare", "tortoise_and_hare"),
    ("Could you tell me the story of the fox and the grapes?", "fox_and_grapes"),
])
async def test_a_named_story_is_told_from_its_first_part(text: str, story_id: str) -> None:
    run = await run_turn(SKILLS, text)
    lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en"
    wanted = story(story_id)
    assert run.skill == "story"
    assert wanted.title.get(lang) in run.said and wanted.part_list(lang)[0] in run.said
    assert run.said.endswith(said_lines(lang, "story_more"))  # and invites the next part
    assert wanted.part_list(lang)[1] not in run.said


async def test_the_persona_asked_for_tells_it_in_their_voice_otherwise_the_current_one() -> None:
    asked = await run_turn(SKILLS, "让孙悟空给我讲三打白骨精")
    assert asked.skill == "story"
    assert {s.persona for s in asked.segments if isinstance(s, Say)} == {"sunwukong"}
    signature = builtin_book().get("sunwukong").companion.signature.zh
    assert any(w in asked.said for w in signature)  # and in his own words
    on = await run_turn(SKILLS, "继续讲", history=told(asked))  # he tells it to the end
    assert {s.persona for s in on.segments if isinstance(s, Say)} == {"sunwukong"}
    plain = await run_turn(SKILLS, "讲三打白骨精", persona="tangseng")
    assert {s.persona for s in plain.segments if isinstance(s, Say)} == {"tangseng"}
    # 黛玉 in a story's name is not a request for her voice.
    named = await run_turn(SKILLS, "讲黛玉葬花")
    assert {s.persona for s in named.segments if isinstance(s, Say)} == {"companion"}
    # "孙悟空给我讲个故事": one of his own.
    his = await run_turn(SKILLS, "孙悟空给我讲个故事")
    assert any(s.title.zh in his.said for s in stories() if s.persona == "sunwukong")


async def test_another_one_tells_a_story_not_yet_told() -> None:
    first = await run_turn(SKILLS, "讲个故事")
    again = await run_turn(SKILLS, "再讲一个", history=told(first))
    assert again.skill == "story"
    opening = [s for s in stories() if s.part_list("zh")[0] in first.said]
    assert len(opening) == 1 and opening[0].part_list("zh")[0] not in again.said
    assert any(s.part_list("zh")[0] in again.said for s in stories())


@pytest.mark.parametrize("text", [
    "这件事说来话长是个故事", "what's the story with your battery", "他昨天给我讲了个故事",
    "我最喜欢听故事了", "再讲一个", "然后呢", "go on", "the story so far is that I lost my job",
    "三打白骨精是哪一回", "继续", "我继续上班了，你忙你的", "他昨天讲了个关于猫的故事",
    "I read a funny story about cats yesterday",
])
async def test_sentences_that_only_mention_stories_are_not_claimed(text: str) -> None:
    run = await run_turn(SKILLS, text)
    assert run.skill == "fallback-fake", run.said


@pytest.mark.parametrize(("text", "lang"), [("讲一个关于小刺猬的故事", "zh"),
                                           ("tell me a story about a dragon", "en")])
async def test_without_a_model_a_story_on_a_theme_gets_an_honest_answer_and_a_library_one(
        text: str, lang: str) -> None:
    run = await run_turn(SKILLS, text)
    assert run.skill == "story"
    assert run.said.startswith(lines(lang).no_model[0])
    assert any(s.part_list(lang)[0] in run.said for s in stories())


# -- part by part, questions, barge-in ---------------------------------------------------------

async def test_go_on_tells_the_parts_in_order_to_the_end() -> None:
    fox = story("fox_and_grapes")
    history = told(await run_turn(SKILLS, "tell me the fox and the grapes"))
    for i in range(1, len(fox.part_list("en"))):
        run = await run_turn(SKILLS, "go on", history=history)
        assert run.skill == "story" and fox.part_list("en")[i] in run.said
        history += told(run)
    assert run.said.endswith(said_lines("en", "story_end"))
    after = await run_turn(SKILLS, "go on", history=history)
    assert after.skill == "fallback-fake"  # the story is over


async def test_a_question_in_between_is_the_responders_and_go_on_resumes_at_the_cut() -> None:
    bone = story("three_fights_bone_demon").part_list("zh")
    first = await run_turn(SKILLS, "讲三打白骨精")
    second = await run_turn(SKILLS, "继续讲", history=told(first))
    assert bone[1] in second.said
    cut = second.said.index(bone[1]) + bone[1].index("唐僧却怪") + 3  # a barge-in mid-clause
    history = [*told(first), ChatMessage("user", "继续讲"),
               ChatMessage("assistant", second.said[:cut])]
    question = await run_turn(SKILLS, "他为什么生气？", history=history)
    assert question.skill == "fallback-fake"  # whoever answers questions answers it
    history += told(question)
    resumed = await run_turn(SKILLS, "继续讲", history=history)
    assert resumed.skill == "story"
    rest = bone[1][bone[1].index("唐僧却怪"):]
    assert rest in resumed.said and bone[1][:8] not in resumed.said
    assert resumed.said.startswith(said_lines("zh", "story_resume"))
    # The resumed tail is recognised too: the next "然后呢" is part three.
    third = await run_turn(SKILLS, "然后呢", history=[*history, *told(resumed)])
    assert bone[2] in third.said and rest not in third.said


# -- the bookmark --------------------------------------------------------------------------------

def test_a_bookmark_round_trips_and_a_stale_one_is_ignored() -> None:
    owl = story("sleepy_owl")
    place = bookmark_place(f"sleepy_owl|en|1|{len('She saw golden sunshine,')}")
    assert place is not None and place.story == owl and place.part == 1
    assert bookmark_place(bookmark_text(place)) == place
    assert bookmark_place("a-story-we-removed|zh|0|0") is None
    assert bookmark_place("sleepy_owl|zh|9|0") is None


async def test_the_bookmark_follows_what_was_heard_and_resumes_in_the_next_call() -> None:
    memory = MemoryFake()
    hare = story("tortoise_and_hare").part_list("zh")
    first = await run_turn(SKILLS, "讲龟兔赛跑", memory=memory)
    assert memory.mark == "tortoise_and_hare|zh|0|0"
    cut = first.said.index(hare[0]) + hare[0].index("乌龟不服气") + 2
    history = [ChatMessage("user", "讲龟兔赛跑"), ChatMessage("assistant", first.said[:cut])]
    await run_turn(SKILLS, "好了我得走了，再见", history=history, memory=memory)
    assert memory.mark == f"tortoise_and_hare|zh|0|{hare[0].index('乌龟不服气')}"
    # The next call: nothing in its history, the bookmark in memory.
    later = await run_turn(SKILLS, "上次的故事讲到哪了", memory=memory)
    assert later.skill == "story"
    assert hare[0][hare[0].index("乌龟不服气"):] in later.said and "《龟兔赛跑》" in later.said
    on = await run_turn(SKILLS, "继续讲", history=told(later), memory=memory)
    assert hare[1] in on.said


async def test_last_times_story_with_none_kept_gets_an_honest_answer() -> None:
    run = await run_turn(SKILLS, "继续讲上次那个故事", memory=MemoryFake())
    assert run.skill == "story" and "没有讲到一半的故事" in run.said
    no_memory = await run_turn(SKILLS, "继续讲上次那个故事")
    assert no_memory.skill == "fallback-fake"


async def test_a_bare_continue_at_a_calls_start_is_not_last_calls_story() -> None:
    # A held-out miss, fixed after it was measured: with a bookmark kept, "continue with the
    # recipe please" as a call's first words resumed the story.
    memory = MemoryFake()
    memory.keep_bookmark("tortoise_and_hare|en|1|0")
    assert (await run_turn(SKILLS, "continue with the recipe please",
                           memory=memory)).skill == "fallback-fake"
    assert (await run_turn(SKILLS, "继续", memory=memory)).skill == "fallback-fake"
    assert (await run_turn(SKILLS, "go on with the story", memory=memory)).skill == "story"
    assert (await run_turn(SKILLS, "继续讲", memory=memory)).skill == "story"
