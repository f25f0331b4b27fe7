"""Stories through a call (virtual clock, real database, SQLite and PostgreSQL): a story cut off
by the caller's voice resumes at the clause they stopped hearing; the place is kept as a
bookmark that the next call resumes from, and that "你记得我什么？" never recites."""

from __future__ import annotations

from lingxi.companion.data import dialogue, stories
from lingxi.engines.fake import SpeechScript
from lingxi.memory.service import MemoryService
from tests.memory.test_calls import harness, identify, reopen, say

BONE = next(s for s in stories() if s.id == "three_fights_bone_demon").part_list("zh")


async def test_a_story_left_mid_way_resumes_in_the_next_call(memory: MemoryService) -> None:
    async with harness(memory) as h:
        await identify(h, "u-story")
        assert BONE[0] in await say(h, "讲三打白骨精")
        assert BONE[1] in await say(h, "继续讲")
        await say(h, "好了，我得挂了，再见")  # the fake responder says goodbye
    memory = await reopen(memory)
    try:
        async with harness(memory) as h:
            await identify(h, "u-story")
            recited = await say(h, "你记得我什么？")
            assert "three_fights" not in recited and "|" not in recited
            resumed = await say(h, "上次的故事讲到哪了")
            assert "《三打白骨精》" in resumed and BONE[2] in resumed and BONE[1] not in resumed
            assert BONE[3] in await say(h, "继续讲")  # the last part
        await memory.writer.drain()
        data = await memory.store.export("u-story")
        assert data is not None  # the caller's data includes the bookmark, as kept
        assert [f["text"] for f in data["facts"] if f["kind"] == "bookmark"] == \
            ["three_fights_bone_demon|zh|3|0"]
        async with harness(memory) as h:  # someone else has no story to resume
            await identify(h, "u-other")
            assert "没有讲到一半的故事" in await say(h, "继续讲上次的故事")
    finally:
        await memory.close()


async def test_a_barge_in_mid_story_resumes_at_the_clause_heard(memory: MemoryService) -> None:
    script = (SpeechScript().say(0.5, 2.0, "讲三打白骨精。").say(6.0, 6.8, "等一下。")
              .say(12.0, 13.0, "继续讲。"))
    async with harness(memory, replies=("好，你说。",), script=script) as h:
        await identify(h, "u-voice-story")
        await h.speak_until(24.0)
        truncated = h.first("conversation.item.truncated").event
        heard = (await h.retrieve(truncated["item_id"]))["content"][0]["transcript"]
        done = [d.event["response"] for d in h.of("response.done")]
        said = [str(r["output"][0]["content"][0].get("transcript") or "") for r in done]
        kept = h.call.memory.bookmark()
    assert BONE[0][:8] in heard and BONE[0] not in heard  # cut inside the first part
    heard_of_part = heard[heard.index(BONE[0][:8]):]
    # Picked up at the start of the clause the caller was hearing when they spoke: nothing
    # they missed is skipped, and what they heard in full is not told again.
    clause = max(BONE[0].rfind(mark, 0, len(heard_of_part)) for mark in "，。！？；") + 1
    assert clause > 0
    resumed = said[-1]
    assert resumed.startswith(dialogue("zh").lines["story_resume"])
    assert BONE[0][clause:] in resumed and BONE[0][:clause] not in resumed
    assert BONE[1] not in resumed  # one part at a time
    # The bookmark points at the same clause, should the call end here.
    assert kept == f"three_fights_bone_demon|zh|0|{clause}"
