"""Memory in calls (virtual clock, real database): the second call opens with a memory of the
first, even after a restart; "what do you remember" and "forget that"; what was heard is what
is stored; a failing database degrades the call and never ends it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text

from lingxi.engines.fake import SpeechScript
from lingxi.memory import mood_store
from lingxi.memory.schema import Mood
from lingxi.memory.service import MemoryConfig, MemoryService
from lingxi.session.call import CallSettings
from tests.harness import CallHarness

DEFAULT_REPLY = "好的，我明白了。你慢慢说，我一直都在这里陪着你。"


def harness(memory: MemoryService, replies: tuple[str, ...] = (DEFAULT_REPLY,),
            script: SpeechScript | None = None) -> CallHarness:
    # Memory commands are a skill of every call's router; it answers them when memory is on.
    return CallHarness(settings=CallSettings(duties=False, memory=memory), replies=replies,
                       server_truncation=True,
                       script=script or SpeechScript())


async def identify(h: CallHarness, user: str, persona: str | None = None) -> None:
    lingxi: dict[str, Any] = {"user": user}
    if persona:
        lingxi["persona"] = persona
    await h.send({"type": "session.update", "session": {"type": "realtime", "lingxi": lingxi}})
    await h.call.memory.ready()  # the recall is real I/O; virtual time does not wait for it


async def say(h: CallHarness, words: str, modality: str = "text") -> str:
    """A text turn and the reply to it; returns the reply's text."""
    await h.send({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": words}]}})
    before = len(h.of("response.done"))
    await h.send({"type": "response.create", "response": {"output_modalities": [modality]}})
    await h.wait(0.5 if modality == "text" else 30.0)
    done = h.of("response.done")
    assert len(done) == before + 1, h.errors()
    content = done[-1].event["response"]["output"][0]["content"][0]
    return str(content.get("text") or content.get("transcript") or "")


async def reopen(memory: MemoryService) -> MemoryService:
    """A server restart: everything queued is committed, the process goes, a new one starts."""
    await memory.writer.drain()
    url = memory.store.engine.url.render_as_string(hide_password=False)
    await memory.close()
    return MemoryService.open(MemoryConfig(url=url))


async def test_the_next_call_asks_after_the_missed_flight(memory: MemoryService) -> None:
    async with harness(memory) as h:
        await identify(h, "u-wang", persona="tangseng")
        await say(h, "我叫小王，我今天误机了，下午的会全泡汤了")
        first = h.responder.calls[0]
        assert first.open_threads == ()  # nothing from before this call
    memory = await reopen(memory)
    try:
        async with harness(memory) as h:
            await identify(h, "u-wang")  # no persona this time: the remembered one is used
            await say(h, "喂，我又来了")
            request = h.responder.calls[0]
            assert request.open_threads == ("误机了",)
            assert "小王" in request.memory_note and "误机了" in request.memory_note
            assert request.persona == "tangseng"
            await say(h, "航班改签好了")
            # The note stays as it was for the whole call (a changed system prompt makes the
            # model read the whole call again), and the event is still remembered.
            assert h.responder.calls[1].memory_note == request.memory_note
            assert "误机了" in h.responder.calls[1].memory_note
        memory = await reopen(memory)
        async with harness(memory) as h:
            await identify(h, "u-wang")
            await say(h, "今天天气不错，我刚下班")
            # Asked in the last call: the thread is closed, the event still remembered.
            assert h.responder.calls[0].open_threads == ()
            assert "误机了" in h.responder.calls[0].memory_note
        async with harness(memory) as h:
            await identify(h, "someone-else")
            await say(h, "你好")
            assert h.responder.calls[0].memory_note == ""
            assert h.responder.calls[0].open_threads == ()
    finally:
        await memory.close()


async def test_what_do_you_remember_and_forget_that(memory: MemoryService) -> None:
    async with harness(memory) as h:
        await identify(h, "u-1")
        await say(h, "我叫小王。我住在杭州，我今天误机了")
        answer = await say(h, "你记得我什么？")
        assert "你叫小王" in answer and "误机了" in answer and "杭州" in answer
        assert len(h.responder.calls) == 1  # the skill answered, not the model
        answer = await say(h, "忘掉误机的事")
        assert answer == "好，我已经忘掉了：误机了。"
        answer = await say(h, "what do you remember about me?")
        assert "误机" not in answer and "小王" in answer
    await memory.writer.drain()
    data = await memory.store.export("u-1")
    assert data is not None
    assert sorted(f["text"] for f in data["facts"]) == ["小王", "杭州"]
    assert not any("误机了" in t["text"] for t in data["turns"] if t["role"] == "user"
                   and "忘掉" not in t["text"])


async def test_forget_that_forgets_the_most_recent_fact(memory: MemoryService) -> None:
    async with harness(memory) as h:
        await identify(h, "u-2")
        await say(h, "My name is Alice.")
        await say(h, "I love hiking")
        assert await say(h, "Forget that.") == "Done, I've forgotten that: hiking."
        assert "hiking" not in await say(h, "What do you remember about me?")


async def test_the_stored_reply_is_what_was_heard(memory: MemoryService) -> None:
    reply = "好的，我明白了。你慢慢说，我一直都在这里陪着你。"
    async with harness(memory, replies=(reply,)) as h:
        await identify(h, "u-3")
        await h.send({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user", "content": [{"type": "input_text",
                                                           "text": "我好累"}]}})
        await h.send({"type": "response.create"})
        await h.wait(1.0)
        item_id = h.first("response.output_item.added").event["item"]["id"]
        await h.send({"type": "conversation.item.truncate", "item_id": item_id,
                      "content_index": 0, "audio_end_ms": 480})
        await h.wait(0.5)
        heard = (await h.retrieve(item_id))["content"][0]["transcript"]
    await memory.writer.drain()
    data = await memory.store.export("u-3")
    assert data is not None
    stored = [t["text"] for t in data["turns"] if t["role"] == "assistant"]
    assert stored == [heard]
    assert heard and reply.startswith(heard) and len(heard) < len(reply) // 2


async def test_a_spoken_call_with_a_barge_in(memory: MemoryService) -> None:
    reply = "好的，我明白了。你慢慢说，我一直都在这里陪着你，不着急，我们一起想想办法。"
    script = SpeechScript().say(0.5, 2.0, "我今天误机了。").say(4.5, 5.5, "等一下。")
    async with harness(memory, replies=(reply, "好，你说。"), script=script) as h:
        await identify(h, "u-voice")
        await h.speak_until(9.0)
        truncated = h.first("conversation.item.truncated").event
        heard = (await h.retrieve(truncated["item_id"]))["content"][0]["transcript"]
        await h.speak_until(14.0)
    await memory.writer.drain()
    data = await memory.store.export("u-voice")
    assert data is not None
    assert [(t["role"], t["text"]) for t in data["turns"]] == [
        ("user", "我今天误机了。"), ("assistant", heard), ("user", "等一下。"),
        ("assistant", "好，你说。")]
    assert 0 < len(heard) < len(reply) and reply.startswith(heard)
    assert [f["text"] for f in data["facts"]] == ["误机了"]


async def test_without_a_user_id_nothing_is_stored(memory: MemoryService) -> None:
    async with harness(memory) as h:
        await say(h, "我叫小王")
        assert await say(h, "你记得我什么？") == "这次通话没有开启记忆，我不会记下你说的话。"
    await memory.writer.drain()
    async with memory.store.sessions() as s:
        assert (await s.execute(text("SELECT count(*) FROM turns"))).scalar() == 0


async def test_a_failing_database_degrades_the_call(
    sqlite_memory: MemoryService, caplog: pytest.LogCaptureFixture,
) -> None:
    memory = sqlite_memory
    async with harness(memory) as h:
        await identify(h, "u-4")
        await say(h, "我叫小王")
        await memory.writer.drain()
        async with memory.store.engine.begin() as conn:
            await conn.execute(text("DROP TABLE turns"))  # the next user turn cannot be stored
        with caplog.at_level(logging.WARNING, logger="lingxi.memory"):
            await say(h, "我今天误机了")
            await memory.writer.drain()
            assert await say(h, "还在吗") == DEFAULT_REPLY
        h.assert_alive()
        assert not h.call.memory.active
        assert any("memory off for call" in r.getMessage() for r in caplog.records)
        assert not any("误机" in r.getMessage() for r in caplog.records)  # no words in logs


async def test_a_live_call_forgets_at_once_what_was_deleted(memory: MemoryService) -> None:
    async with harness(memory) as h:
        await identify(h, "u-gone")
        await say(h, "我叫小王。我住在杭州")
        assert "小王" in await say(h, "你记得我什么？")
        await memory.writer.drain()
        assert await memory.store.delete_user("u-gone")
        memory.evict("u-gone")  # what the delete route does
        answer = await say(h, "你记得我什么？")
    assert "小王" not in answer and "杭州" not in answer


async def mood_call(memory: MemoryService, user: str) -> list[Mood]:
    settings = CallSettings(duties=False, memory=memory)
    h = CallHarness(script=SpeechScript().say(0.5, 2.5, "陪了我十年的老狗今天走了"),
                    settings=settings)
    async with h:
        await h.send({"type": "session.update", "session": {"type": "realtime",
                                                            "lingxi": {"user": user}}})
        await h.call.memory.ready()
        await h.speak_until(8.0)
    await memory.writer.drain()
    async with memory.store.sessions() as s:
        return list((await s.scalars(select(Mood).where(Mood.user_id == user))).all())


async def test_the_mood_timeline_stores_how_the_caller_sounded(memory: MemoryService) -> None:
    await mood_store.set_consent(memory.store, "u-mood", "on", datetime.now(UTC))
    moods = await mood_call(memory, "u-mood")
    assert [m.affect for m in moods] == ["sad"]
    assert moods[0].valence is not None and moods[0].valence < 0


async def test_without_consent_no_mood_is_kept(memory: MemoryService) -> None:
    assert await mood_call(memory, "u-never-asked") == []
    await mood_store.set_consent(memory.store, "u-said-no", "off", datetime.now(UTC))
    assert await mood_call(memory, "u-said-no") == []


async def test_a_fact_forgotten_mid_call_leaves_the_note_at_once(memory: MemoryService) -> None:
    async with harness(memory) as h:
        await identify(h, "u-forget")
        await say(h, "我叫小王，我今天误机了")
    memory = await reopen(memory)
    try:
        async with harness(memory) as h:
            await identify(h, "u-forget")
            await say(h, "喂")
            assert "误机了" in h.responder.calls[0].memory_note
            await say(h, "忘掉误机的事")
            await say(h, "好吧")
            assert "误机" not in h.responder.calls[-1].memory_note
            assert "小王" in h.responder.calls[-1].memory_note
    finally:
        await memory.close()


async def test_a_practised_words_score_is_there_in_the_next_call(memory: MemoryService) -> None:
    async with harness(memory) as h:
        await identify(h, "u-li")
        assert h.call.memory.last_practice("think") is None
        h.call.memory.keep_practice("think", 62)
        now = h.call.memory.last_practice("Think")
        assert now is not None and (now.score, now.this_call) == (62, True)
    memory = await reopen(memory)
    try:
        async with harness(memory) as h:
            await identify(h, "u-li")
            then = h.call.memory.last_practice("think")
            assert then is not None and (then.score, then.days_ago, then.this_call) == (62, 0,
                                                                                        False)
            assert h.call.memory.practised() == {"think": then}
        async with harness(memory) as h:
            await identify(h, "u-someone-else")
            assert h.call.memory.last_practice("think") is None
    finally:
        await memory.close()
