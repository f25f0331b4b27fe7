"""A conversation stays bounded in items and in characters, oldest items leaving first."""

from __future__ import annotations

from lingxi.protocol.items import MessageItem
from lingxi.session.conversation import Conversation


def _user(i: int, text: str) -> MessageItem:
    return MessageItem.model_validate({"id": f"u{i}", "role": "user",
                                       "content": [{"type": "input_text", "text": text}]})


def test_characters_are_bounded_and_the_newest_items_stay() -> None:
    conversation = Conversation(max_chars=50_000)
    for i in range(100):
        conversation.add(_user(i, "字" * 20_000))
    history = conversation.history()
    assert len(history) == 2  # two of 20,000 fit under 50,000; older ones left
    assert "u99" in conversation and "u98" in conversation and "u97" not in conversation
    conversation.delete("u99")
    conversation.add(_user(100, "字" * 20_000))
    assert "u98" in conversation  # a deletion made room
