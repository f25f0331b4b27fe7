"""Property-based fuzzing of what clients send: whatever arrives (events of every type with
arbitrary fields, JSON of any shape, garbage text and bytes, audio of any length and content),
the call answers with well-formed events or a clean close, never a server error, and its
memory stays bounded."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lingxi.protocol.client_events import CLIENT_EVENT_TYPES
from tests.harness import CallHarness

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                               max_size=4),
    max_leaves=12)
_fields = {
    "event_id": st.text(max_size=20), "session": _json, "item": _json, "item_id": _json,
    "audio": st.binary(max_size=4001).map(lambda b: base64.b64encode(b).decode()) | _json,
    "response": _json, "content_index": _json, "audio_end_ms": _json,
    "previous_item_id": _json, "response_id": _json,
}
_event = st.builds(
    lambda kind, extra: {"type": kind, **extra},
    st.sampled_from(sorted(CLIENT_EVENT_TYPES)) | st.text(max_size=30),
    st.fixed_dictionaries({}, optional=_fields))
# Plausible shapes that reach deep into the handlers: items, truncations, sessions.
_item_body = st.fixed_dictionaries({
    "type": st.sampled_from(["message", "function_call", "function_call_output", "other"]),
    "role": st.sampled_from(["user", "assistant", "system", "tool"]),
    "content": st.lists(st.fixed_dictionaries({
        "type": st.sampled_from(["input_text", "input_audio", "input_image", "output_text"]),
        "text": st.text(max_size=30)}), max_size=3),
    "call_id": st.text(max_size=8), "output": st.text(max_size=20), "name": st.text(max_size=8),
})
_item = st.fixed_dictionaries({"type": st.just("conversation.item.create"), "item": _item_body})
_raw = (st.text(max_size=60) | st.binary(max_size=60) | _json.map(json.dumps)
        | st.just('{"type": "session.update", "session": {"instructions": "\\ud800"}}'))
_message = _event.map(json.dumps) | _item.map(json.dumps) | _raw


async def _run(messages: list[str | bytes]) -> CallHarness:
    async with CallHarness(replies=["好。"] * 20) as h:
        for message in messages:
            await h.send(message)
            if h._task is not None and h._task.done():
                break  # closed: a clean close is an acceptable answer
        await h.wait(2.0)
    return h


@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_message, min_size=1, max_size=25))
def test_anything_a_client_sends_gets_a_well_formed_answer(messages: list[str | bytes]) -> None:
    h = asyncio.run(_run(messages))
    sent: list[dict[str, Any]] = [s.event for s in h.channel.sent]
    assert sent[0]["type"] == "session.created"
    assert all(isinstance(e.get("type"), str) and isinstance(e.get("event_id"), str)
               for e in sent)
    codes = [e["error"]["code"] for e in sent if e["type"] == "error"]
    assert "server_error" not in codes, [e for e in sent if e["type"] == "error"][:3]
    # Bounded: a conversation never holds more than its cap, and nothing waits unsent.
    assert len(list(h.call.conversation.history())) <= h.call.conversation.max_items
    assert not h.call.outbox.overflowed.is_set()
