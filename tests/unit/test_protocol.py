from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from lingxi.protocol.dialect import BetaDialect, session_from_beta, session_to_beta
from lingxi.protocol.session import SessionConfig, apply_update


def test_update_changes_only_the_fields_it_carries() -> None:
    s = SessionConfig(instructions="old")
    s = apply_update(s, {"audio": {"output": {"voice": "linda"}}})
    s = apply_update(s, {"audio": {"input": {"turn_detection": {"silence_duration_ms": 800}}}})
    assert s.instructions == "old"
    assert s.audio.output.voice == "linda"
    td = s.audio.input.turn_detection
    assert td is not None and td.type == "server_vad"
    assert td.silence_duration_ms == 800 and td.prefix_padding_ms == 300


def test_switching_turn_detection_type_replaces_it() -> None:
    s = apply_update(SessionConfig(), {"audio": {"input": {
        "turn_detection": {"type": "semantic_vad", "eagerness": "high"}}}})
    assert s.audio.input.turn_detection is not None
    assert s.audio.input.turn_detection.type == "semantic_vad"
    s = apply_update(s, {"audio": {"input": {"turn_detection": None}}})
    assert s.audio.input.turn_detection is None


def test_invalid_update_raises_and_leaves_session() -> None:
    s = SessionConfig()
    with pytest.raises(ValidationError):
        apply_update(s, {"output_modalities": ["video"]})
    assert s.output_modalities == ["audio"]


def test_beta_session_translates_both_ways() -> None:
    beta = {"modalities": ["text", "audio"], "input_audio_format": "g711_ulaw",
            "output_audio_format": "pcm16", "voice": "alloy", "instructions": "hi",
            "turn_detection": {"type": "server_vad", "silence_duration_ms": 300}}
    ga = session_from_beta(beta)
    s = apply_update(SessionConfig(), ga)
    assert s.audio.input.format.type == "audio/pcmu"
    assert s.audio.output.voice == "alloy" and s.output_modalities == ["audio"]
    back = session_to_beta(s.wire_dump())
    assert back["input_audio_format"] == "g711_ulaw" and back["modalities"] == ["text", "audio"]
    assert back["turn_detection"]["silence_duration_ms"] == 300


def test_beta_outbound_renames_events_and_items() -> None:
    d = BetaDialect()
    delta = d.outbound({"type": "response.output_audio.delta", "event_id": "e", "delta": "x"})
    assert delta is not None and delta["type"] == "response.audio.delta"
    added = d.outbound({"type": "conversation.item.added", "event_id": "e", "item": {
        "id": "i", "type": "message", "role": "assistant",
        "content": [{"type": "output_audio", "transcript": "hi"}]}})
    assert added is not None and added["type"] == "conversation.item.created"
    assert added["item"]["content"][0]["type"] == "audio"
    assert d.outbound({"type": "conversation.item.done", "event_id": "e"}) is None


def test_default_session_validates_against_the_official_schema() -> None:
    from openai.types.realtime import RealtimeSessionCreateRequest

    data: dict[str, Any] = SessionConfig(id="sess_1", model="m").wire_dump()
    TypeAdapter(RealtimeSessionCreateRequest).validate_python(data)
