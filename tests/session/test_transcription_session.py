"""A transcription session: the caller's speech becomes transcripts as it comes, and nothing
is ever answered."""

from __future__ import annotations

from typing import Any

import pydantic
from openai.types import realtime as ga_types

from lingxi.engines.fake import SpeechScript
from tests.harness import CallHarness

SERVER_EVENT: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(ga_types.RealtimeServerEvent)


async def test_speech_is_transcribed_turn_by_turn_and_never_answered() -> None:
    script = SpeechScript().say(0.5, 1.5, "第一句话。").say(3.0, 4.0, "第二句话。")
    async with CallHarness(script=script) as h:
        await h.send({"type": "session.update", "session": {
            "type": "transcription", "audio": {"input": {
                "transcription": {"model": "whisper-1", "language": "zh"},
                "turn_detection": {"type": "server_vad", "silence_duration_ms": 500}}}}})
        await h.speak_until(6.0)
        await h.send({"type": "response.create"})
        await h.wait(0.5)
    updated = h.of("session.updated")[-1].event
    assert updated["session"]["type"] == "transcription"
    assert "output_modalities" not in updated["session"]
    SERVER_EVENT.validate_python(updated)  # the SDK reads it as a transcription session
    transcripts = [s.event["transcript"] for s in
                   h.of("conversation.item.input_audio_transcription.completed")]
    assert transcripts == ["第一句话。", "第二句话。"]
    assert h.of("response.created") == [] and h.responder.calls == []
    assert [e["message"].startswith("A transcription session") for e in h.errors()] == [True]


async def test_a_transcription_session_can_become_a_conversation() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。")
    async with CallHarness(script=script, replies=["你好呀。"]) as h:
        await h.send({"type": "session.update", "session": {"type": "transcription"}})
        await h.send({"type": "session.update", "session": {"type": "realtime"}})
        await h.speak_until(4.0)
    assert h.of("response.done")[0].event["response"]["status"] == "completed"
    assert h.errors() == []
