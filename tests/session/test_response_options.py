"""What a client asks of a reply is honoured: max_output_tokens, temperature and the voice,
per session and per response, in both dialects."""

from __future__ import annotations

from typing import Any

from lingxi.config import Settings
from lingxi.engines.fake import SpeechScript
from lingxi.personas.book import OPENAI_VOICES
from lingxi.protocol.dialect import BetaDialect
from lingxi.text import count_tokens
from tests.harness import CallHarness
from tests.responder.live import calling, live_lingxi

LONG = "好的，我来讲一个很长的故事。从前有一座山，山里有一座庙，庙里有个老和尚在给小和尚讲故事。"
TEXT_ONLY = {"output_modalities": ["text"], "audio": {"input": {"turn_detection": None}}}


def _user(text: str) -> dict[str, Any]:
    return {"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}}


async def test_max_output_tokens_ends_the_reply_as_incomplete() -> None:
    async with CallHarness(replies=[LONG, LONG]) as h:
        await h.send({"type": "session.update", "session": {**TEXT_ONLY,
                                                            "max_output_tokens": 12}})
        # A long story on request is the model's (the storyteller tells its library's).
        await h.send(_user("讲一个很长的故事"))
        await h.send({"type": "response.create"})
        await h.wait(3.0)
        await h.send({"type": "response.create", "response": {"max_output_tokens": "inf"}})
        await h.wait(3.0)
    capped, whole = (s.event["response"] for s in h.of("response.done"))
    text = capped["output"][0]["content"][0]["text"]
    assert capped["status"] == "incomplete"
    assert capped["status_details"]["reason"] == "max_output_tokens"
    assert LONG.startswith(text) and count_tokens(text) == 12
    assert capped["usage"]["output_tokens"] == 12
    assert h.responder.calls[0].max_tokens == 12  # a model would stop writing there too
    assert whole["status"] == "completed"
    assert whole["output"][0]["content"][0]["text"] == LONG


async def test_temperature_reaches_the_model_per_session_and_per_response() -> None:
    async with CallHarness(replies=["好。", "好。"]) as h:
        await h.send({"type": "session.update", "session": {**TEXT_ONLY, "temperature": 0.3}})
        await h.send(_user("你好"))
        await h.send({"type": "response.create"})
        await h.wait(2.0)
        await h.send({"type": "response.create", "response": {"temperature": 1.1}})
        await h.wait(2.0)
    assert [c.temperature for c in h.responder.calls] == [0.3, 1.1]


async def test_beta_names_for_the_cap_and_the_voice_are_read() -> None:
    event = BetaDialect().inbound({"type": "response.create", "response": {
        "max_response_output_tokens": 5, "voice": "echo", "modalities": ["text"]}})
    assert event["response"] == {"max_output_tokens": 5, "output_modalities": ["text"],
                                 "audio": {"output": {"voice": "echo"}}}


async def test_openai_voice_names_sound_different_and_a_response_can_change_voice() -> None:
    with live_lingxi(Settings(duties=False)) as live:
        async with calling(live) as caller:
            await caller.update({"audio": {"output": {"voice": "shimmer"}}})
            await caller.say("你好")
            await caller.send(_user("再说一句"))
            await caller.send({"type": "response.create",
                               "response": {"audio": {"output": {"voice": "echo"}}}})
            await caller.until("response.done")
    voices = [s.voice for s in live.tts.spoken]
    assert {v.name for v in voices} == {"shimmer", "echo"}
    shimmer = next(v for v in voices if v.name == "shimmer")
    echo = next(v for v in voices if v.name == "echo")
    assert (shimmer.pitch, echo.pitch) == (OPENAI_VOICES["shimmer"][0], OPENAI_VOICES["echo"][0])
    assert shimmer.pitch - echo.pitch >= 6  # a bright voice and a deep one


async def test_the_clients_transcription_prompt_reaches_the_recogniser() -> None:
    script = SpeechScript().say(0.5, 1.5, "Lingxi, play Qilixiang.")
    async with CallHarness(script=script, replies=["好。"]) as h:
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "transcription": {"model": "whisper-1", "prompt": "Qilixiang, Jay Chou"}}}}})
        await h.speak_until(3.0)
    context = h.engines.asr.contexts[-1]  # type: ignore[attr-defined]
    assert context is not None
    assert context.prompt().startswith("Qilixiang, Jay Chou")
    assert "灵犀" in context.prompt()  # Lingxi's own hotwords stay


async def test_the_word_being_practised_is_the_recognisers_first_hotword() -> None:
    """Once the coach has asked for "think", the caller's next spoken turn is an attempt at it:
    the word leads the recogniser's prompt (so a mispronounced attempt is still written as
    English); before that it is not there."""
    from lingxi.skills.pronounce.feedback import coach_data

    asked = coach_data().lines["zh"]["your_turn"].format(word="think")
    script = SpeechScript().say(0.5, 1.2, "你好").say(6.0, 6.7, "sink")
    async with CallHarness(script=script, replies=["好。"]) as h:
        await h.speak_until(4.0)  # "你好" and its reply
        before = h.engines.asr.contexts[-1]  # type: ignore[attr-defined]
        await h.send({"type": "conversation.item.create", "item": {
            "type": "message", "role": "assistant",
            "content": [{"type": "output_text", "text": asked}]}})
        await h.speak_until(8.0)
        during = h.engines.asr.contexts[-1]  # type: ignore[attr-defined]
    assert "think" not in before.hotwords
    assert during.hotwords[0] == "think"
