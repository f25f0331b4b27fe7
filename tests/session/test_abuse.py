"""One client must not hurt the server or another call: a client that never reads is closed
instead of buffered without bound, strings that cannot be written back are refused at the
edge, a huge text item is refused, and many items stay cheap."""

from __future__ import annotations

import asyncio

import pytest

from lingxi.protocol.items import ContentPart, MessageItem
from lingxi.session.call import CallSettings
from lingxi.session.conversation import Conversation
from lingxi.session.outbox import MAX_PENDING_CONTROL
from tests.harness import CallHarness, MemoryChannel


class NeverReads(MemoryChannel):
    """A client (fake) whose socket is never read: every send blocks."""

    async def send(self, text: str) -> None:
        await asyncio.Event().wait()


async def test_a_client_that_never_reads_is_closed_not_buffered() -> None:
    h = CallHarness()
    h.channel = NeverReads(h.clock)
    async with h:
        for _ in range(MAX_PENDING_CONTROL + 10):
            h.channel.inbox.put_nowait("not json")  # each one owes the client an error
        await h.clock.advance(0)
        assert h._task is not None
        await asyncio.wait_for(h._task, 5)
        assert h.call.close_code == 1008
        assert len(h.call.outbox._control) <= MAX_PENDING_CONTROL


async def test_a_lone_surrogate_gets_an_error_and_the_call_goes_on() -> None:
    async with CallHarness() as h:
        raw = ('{"type": "conversation.item.create", "item": {"type": "message", '
               '"role": "user", "content": [{"type": "input_text", "text": "hi \\ud800"}]}}')
        await h.send(raw)
        assert [e["code"] for e in h.errors()] == ["invalid_json"]
        await h.send({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user",
            "content": [{"type": "input_text", "text": "你好 😀"}]}})
        h.assert_alive()
        assert h.of("conversation.item.added")


async def test_a_huge_text_item_is_refused_with_a_clear_error() -> None:
    async with CallHarness(settings=CallSettings(duties=False, max_item_chars=1000)) as h:
        await h.send({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user",
            "content": [{"type": "input_text", "text": "好" * 1001}]}})
        error = h.errors()[0]
        assert error["code"] == "string_above_max_length" and "1000" in error["message"]
        assert not h.of("conversation.item.added")
        h.assert_alive()


async def test_a_crisis_at_the_end_of_a_long_text_is_still_heard() -> None:
    async with CallHarness() as h:
        text = "今天上班很忙，开了好多会。" * 300 + "我真的不想活了。"
        await h.send({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}})
        await h.send({"type": "response.create", "response": {"output_modalities": ["text"]}})
        await h.wait(5)
        assert h.call.safety.level != "none"
        said = h.first("response.done").event["response"]["output"][0]["content"][0]["text"]
        assert said not in h.replies  # the safe-messaging reply, not the responder's words


def test_many_items_stay_cheap_and_bounded() -> None:
    conversation = Conversation(max_items=100)
    for i in range(1000):
        item = MessageItem(id=f"item_{i}", role="user", status="completed",
                           content=[ContentPart(type="input_text", text=str(i))])
        conversation.add(item)
        assert conversation.previous_id(f"item_{i}") == (f"item_{i - 1}" if i else None)
    assert len(conversation.history()) == 100
    assert "item_999" in conversation and "item_0" not in conversation


def test_previous_id_of_an_unknown_item_is_an_error() -> None:
    with pytest.raises(KeyError):
        Conversation().previous_id("nope")


