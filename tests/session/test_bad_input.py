"""Bad input gets a clear error event, and the call stays usable afterwards."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from lingxi.session.call import CallSettings
from tests.harness import CallHarness


async def assert_still_usable(h: CallHarness) -> None:
    """A full text turn still works after the error."""
    before = len(h.of("response.done"))
    await h.send({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": "还在吗"}]}})
    await h.send({"type": "response.create", "response": {"output_modalities": ["text"]}})
    await h.wait(1.0)
    done = h.of("response.done")
    assert len(done) == before + 1 and done[-1].event["response"]["status"] == "completed"


BAD_INPUTS: list[tuple[str, Any, str, str]] = [
    ("malformed json", '{"type": "session.update", ', "invalid_json", "not valid JSON"),
    ("not an object", "[1, 2, 3]", "invalid_json", "JSON object"),
    ("no type", {"audio": "AAAA"}, "missing_type", "'type'"),
    ("unknown event", {"type": "session.explode"}, "invalid_event_type", "session.explode"),
    ("bad base64", {"type": "input_audio_buffer.append", "audio": "@@not-base64@@"},
     "invalid_base64", "base64"),
    ("odd pcm16 bytes", {"type": "input_audio_buffer.append",
                         "audio": base64.b64encode(b"\x01\x02\x03").decode()},
     "invalid_audio_format", "even number of bytes"),
    ("unsupported rate", {"type": "session.update", "session": {"audio": {"input": {
        "format": {"type": "audio/pcm", "rate": 16000}}}}}, "invalid_value", "rate"),
    ("unsupported format", {"type": "session.update", "session": {"audio": {"output": {
        "format": {"type": "audio/mp3"}}}}}, "invalid_value", "format"),
    ("bad vad threshold", {"type": "session.update", "session": {"audio": {"input": {
        "turn_detection": {"type": "server_vad", "threshold": 7}}}}}, "invalid_value",
     "threshold"),
    ("missing field", {"type": "conversation.item.truncate", "item_id": "x"},
     "invalid_value", "audio_end_ms"),
    ("truncate unknown item", {"type": "conversation.item.truncate", "item_id": "item_nope",
                               "content_index": 0, "audio_end_ms": 10},
     "item_not_found", "item_nope"),
    ("delete unknown item", {"type": "conversation.item.delete", "item_id": "item_nope"},
     "item_not_found", "item_nope"),
    ("cancel with no reply", {"type": "response.cancel"}, "response_cancel_not_active",
     "Cancellation failed: no active response found"),
    ("commit empty buffer", {"type": "input_audio_buffer.commit"},
     "input_audio_buffer_commit_empty", "at least 100 ms"),
    ("assistant with input_text", {"type": "conversation.item.create", "item": {
        "type": "message", "role": "assistant",
        "content": [{"type": "input_text", "text": "x"}]}}, "invalid_value", "assistant"),
]


@pytest.mark.parametrize(("name", "message", "code", "phrase"), BAD_INPUTS,
                         ids=[b[0] for b in BAD_INPUTS])
async def test_bad_input_gets_a_clear_error(name: str, message: Any, code: str,
                                            phrase: str) -> None:
    async with CallHarness(replies=["好的。"]) as h:
        if isinstance(message, dict):
            message = {**message, "event_id": "evt_client_1"}
        await h.send(message)
        errors = h.errors()
        assert len(errors) == 1, errors
        assert errors[0]["code"] == code
        assert phrase.lower() in errors[0]["message"].lower()
        if isinstance(message, dict) and "type" in message:
            assert errors[0]["event_id"] == "evt_client_1"
        await assert_still_usable(h)


async def test_a_message_over_the_size_limit_is_refused_and_the_call_continues() -> None:
    settings = CallSettings(max_message_bytes=64 * 1024, duties=False)
    async with CallHarness(settings=settings, replies=["好的。"]) as h:
        big = base64.b64encode(bytes(100 * 1024)).decode()
        await h.send({"type": "input_audio_buffer.append", "audio": big})
        assert [e["code"] for e in h.errors()] == ["message_too_large"]
        assert "limit is 65536" in h.errors()[0]["message"]
        await assert_still_usable(h)


async def test_a_rejected_session_update_changes_nothing() -> None:
    async with CallHarness() as h:
        await h.send({"type": "session.update", "session": {
            "instructions": "be kind", "audio": {"output": {"speed": 99}}}})
        assert h.errors()[0]["param"] == "session.audio.output.speed"
        await h.send({"type": "session.update", "session": {"instructions": "be brief"}})
    session = h.of("session.updated")[-1].event["session"]
    assert session["instructions"] == "be brief"
    assert session["audio"]["output"]["speed"] == 1.0
    assert session["audio"]["input"]["turn_detection"]["type"] == "server_vad"


async def test_second_response_create_while_one_is_live_is_refused() -> None:
    async with CallHarness(replies=["这是一个很长很长的回答，会说上好一阵子。"]) as h:
        await h.send({"type": "response.create"})
        await h.send({"type": "response.create"})
        assert [e["code"] for e in h.errors()] == ["conversation_already_has_active_response"]
        await h.wait(5.0)
    assert len(h.of("response.done")) == 1


async def test_truncate_beyond_the_audio_is_refused() -> None:
    async with CallHarness(replies=["好。"]) as h:
        await h.send({"type": "response.create"})
        await h.wait(1.0)
        item_id = h.first("response.output_audio.delta").event["item_id"]
        await h.send({"type": "conversation.item.truncate", "item_id": item_id,
                      "content_index": 0, "audio_end_ms": 60_000})
        assert h.errors()[0]["code"] == "invalid_value"
        assert "exceeds" in h.errors()[0]["message"]
        item = await h.retrieve(item_id)
    assert item["content"][0]["transcript"] == "好。"
