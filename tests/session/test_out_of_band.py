"""Out-of-band responses (`conversation: "none"`): they answer the input they are given, and
nothing of them joins the conversation."""

from __future__ import annotations

from typing import Any

from tests.harness import CallHarness


def _user(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


async def test_an_out_of_band_response_answers_its_input_and_stays_out() -> None:
    async with CallHarness(replies=["好的。", "positive", "我在。"]) as h:
        await h.send({"type": "session.update", "session": {"output_modalities": ["text"],
                                                            "audio": {"input": {
                                                                "turn_detection": None}}}})
        await h.send({"type": "conversation.item.create", "item": _user("今天真开心")})
        await h.send({"type": "response.create"})
        await h.wait(2.0)
        said = h.first("conversation.item.added").event["item"]["id"]
        await h.send({"type": "response.create", "response": {
            "conversation": "none", "metadata": {"purpose": "sentiment"},
            "input": [{"type": "item_reference", "id": said},
                      _user("Classify the sentiment above in one word.")]}})
        await h.wait(2.0)
        await h.send({"type": "response.create"})
        await h.wait(2.0)
    done = [s.event["response"] for s in h.of("response.done")]
    assert [d["status"] for d in done] == ["completed"] * 3
    out_of_band = done[1]
    assert out_of_band["metadata"] == {"purpose": "sentiment"}
    assert out_of_band["output"][0]["content"][0]["text"] == "positive"
    # It answered the given input, not the conversation...
    asked = h.responder.calls[1].history
    assert [m.text for m in asked] == ["今天真开心", "Classify the sentiment above in one word."]
    # ...and left no trace in it: no item added, and the next reply does not see it.
    added = [s.event["item"]["id"] for s in h.of("conversation.item.added")]
    assert out_of_band["output"][0]["id"] not in added
    first = done[0]["output"][0]["content"][0]["text"]
    assert [m.text for m in h.responder.calls[2].history] == ["今天真开心", first]
    assert h.errors() == []


async def test_a_reference_to_a_missing_item_is_refused_clearly() -> None:
    async with CallHarness() as h:
        await h.send({"type": "response.create", "response": {
            "conversation": "none", "input": [{"type": "item_reference", "id": "item_nope"}]}})
        await h.wait(0.5)
    assert [e["param"] for e in h.errors()] == ["response.input.0.id"]
    assert h.of("response.created") == []
