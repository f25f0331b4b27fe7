"""Conversation scripts with the offline companion, through the real server, for every built-in
persona in Chinese and English: never an empty, repeated or out-of-character reply, and after a
switch by voice the next reply is already spoken in the new persona's voice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lingxi.companion.data import dialogue
from lingxi.personas import builtin_book
from tests.affect.prosody import speaks_as
from tests.responder.live import Live, Turn, calling, live_lingxi

# Words only one persona says: seeing them from another is out of character.
OWN_WORDS = {
    "sunwukong": ("俺老孙", "Old Sun"),
    "tangseng": ("贫僧", "阿弥陀佛", "施主", "Amitabha", "humble monk"),
    "lindaiyu": ("罢了", "Alas"),
}

SCRIPTS = {
    "zh": ["你好", "我今天误机了", "我误机了", "真的好累", "嗯", "现在几点了", "今天几号",
           "结婚了没？", "一个月挣多少？", "讲个故事", "然后呢", "你是谁", "帮我写一首诗"],
    "en": ["hello", "I missed my flight", "I missed my flight", "I'm so tired", "mm",
           "what time is it", "what day is it", "are you married", "tell me a story",
           "go on", "who are you", "translate this for me"],
}


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    with live_lingxi() as server:
        yield server


def _assert_in_character(turns: list[Turn], persona_id: str, lang: str) -> None:
    persona = builtin_book().get(persona_id)
    signature = persona.companion.signature.get(lang)
    previous = ""
    for turn in turns:
        reply = turn.transcript
        assert reply.strip(), f"empty reply to {turn.said!r}"
        assert reply != previous, f"the same reply twice in a row: {reply!r}"
        previous = reply
        for other, words in OWN_WORDS.items():
            if other != persona_id:
                assert not any(w in reply for w in words), f"{persona_id} said {reply!r}"
        if signature:
            assert any(w in reply for w in signature), f"{persona_id} not in style: {reply!r}"
        if lang == "zh":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in reply), reply
        else:
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in reply), reply


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("persona_id", [p.id for p in builtin_book()])
async def test_each_persona_holds_a_conversation(live: Live, persona_id: str, lang: str) -> None:
    async with calling(live) as caller:
        await caller.update({"lingxi": {"persona": persona_id}})
        turns = [await caller.say(line) for line in SCRIPTS[lang]]
    _assert_in_character(turns, persona_id, lang)
    replies = [t.transcript for t in turns]
    if lang == "zh":
        assert "晚上8点30分" in replies[5] and "2月17日" in replies[6]
        assert "大语言模型" in replies[-1]  # says plainly what it cannot do offline
    else:
        assert "8:30" in replies[5] and "February 17" in replies[6]
        assert "language model" in replies[-1]
    # The missed flight is met with feeling, and the second time it is remembered as such.
    flight = next(s for s in dialogue(lang).situations if s.id == "missed_flight")
    assert any(line in replies[1] for line in flight.reflect), replies[1]
    assert any(line in replies[2] for line in flight.again), replies[2]
    voices = {s.voice for s in live.tts.spoken[-5:]}
    assert all(speaks_as(v, builtin_book().voice(persona_id)) for v in voices)


async def test_switching_persona_by_voice_changes_words_and_voice(live: Live) -> None:
    book = builtin_book()
    async with calling(live) as caller:
        first = await caller.say("我今天误机了")
        voice_before = live.tts.spoken[-1].voice
        switch = await caller.say("换林黛玉来跟我说")
        voice_daiyu = live.tts.spoken[-1].voice
        # The persona changed before the first clause was spoken: every clause is hers.
        clauses = [s for s in live.tts.spoken if s.text in switch.transcript]
        assert clauses and all(speaks_as(s.voice, book.voice("lindaiyu")) for s in clauses)
        updated = [e for e in switch.events if e["type"] == "session.updated"]
        assert updated[-1]["session"]["lingxi"]["persona"] == "lindaiyu"
        relatives = await caller.say("结婚了没？")
        wukong = await caller.say("让孙悟空来")
        pirate = await caller.say("用海盗的语气跟我说")
        back = await caller.say("换回来")
    assert speaks_as(voice_before, book.voice("companion"))
    assert speaks_as(voice_daiyu, book.voice("lindaiyu"))
    assert voice_before != voice_daiyu
    assert "误机" in first.transcript
    _assert_in_character([switch, relatives], "lindaiyu", "zh")
    _assert_in_character([wukong, pirate], "sunwukong", "zh")
    assert "海盗" in pirate.transcript and "大语言模型" in pirate.transcript
    assert speaks_as(live.tts.spoken[-1].voice, book.voice("companion")) and back.transcript


async def test_switching_in_english_and_a_pirate(live: Live) -> None:
    book = builtin_book()
    async with calling(live) as caller:
        await caller.say("hello")
        monk = await caller.say("let me talk to the monk")
        assert speaks_as(live.tts.spoken[-1].voice, book.voice("tangseng"))
        pirate = await caller.say("talk like a pirate")
    _assert_in_character([monk, pirate], "tangseng", "en")
    assert "pirate" in pirate.transcript and "language model" in pirate.transcript


async def test_a_session_voice_overrides_the_persona_voice(live: Live) -> None:
    async with calling(live) as caller:
        await caller.update({"lingxi": {"persona": "sunwukong"},
                             "audio": {"output": {"voice": "zh", "speed": 1.5}}})
        await caller.say("你好")
    assert live.tts.spoken[-1].voice.name == "zh" and live.tts.spoken[-1].voice.speed == 1.5
