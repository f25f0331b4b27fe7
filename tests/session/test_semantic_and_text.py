"""Semantic end of turn, text conversations, G.711 audio, and engines that fail."""

from __future__ import annotations

import numpy as np
import pytest

from lingxi.audio import WireFormat
from lingxi.engines.fake import SpeechScript
from tests.harness import SEMANTIC, CallHarness


async def test_semantic_vad_waits_when_the_sentence_trails_off() -> None:
    # "…然后" then a 1 s pause: a plain 500 ms silence rule would cut the speaker off.
    script = SpeechScript().say(0.5, 1.5, "我今天去了机场，然后").say(2.5, 3.5, "我就误机了。")
    async with CallHarness(script=script, replies=["天哪。"]) as h:
        await h.send(SEMANTIC)
        await h.send({"type": "session.update", "session": {"lingxi": {"events": True}}})
        await h.speak_until(6.0)
    assert len(h.of("input_audio_buffer.committed")) == 1
    assert h.first("conversation.item.input_audio_transcription.completed").event[
        "transcript"] == "我今天去了机场，然后我就误机了。"
    # The partial transcript went out while the person was still talking (to the page,
    # which opts in to lingxi events; a stock client gets deltas once the item exists).
    delta = h.first("conversation.item.input_audio_transcription.delta")
    assert delta.event["delta"] == "我今天去了机场，然后" and delta.at < 2.5


async def test_semantic_vad_answers_a_complete_question_sooner() -> None:
    async def end_of_turn_delay(text: str) -> float:
        script = SpeechScript().say(0.5, 1.5, text)
        async with CallHarness(script=script, replies=["好。"]) as h:
            await h.send(SEMANTIC)
            await h.speak_until(5.0)
        return h.first("input_audio_buffer.speech_stopped").at - 1.5

    question = await end_of_turn_delay("你叫什么名字？")
    unfinished = await end_of_turn_delay("我想说的是，就是")
    no_punctuation = await end_of_turn_delay("我刚到家")
    assert question == pytest.approx(0.3, abs=0.06)
    assert no_punctuation == pytest.approx(0.9, abs=0.06)
    assert unfinished == pytest.approx(2.0, abs=0.06)


async def test_semantic_vad_english_trailing_and_waits() -> None:
    script = SpeechScript().say(0.5, 1.5, "I went to the airport and").say(2.4, 3.0, " missed it.")
    async with CallHarness(script=script, replies=["Oh no."]) as h:
        await h.send(SEMANTIC)
        await h.speak_until(5.0)
    assert len(h.of("input_audio_buffer.committed")) == 1


async def test_text_in_text_out() -> None:
    async with CallHarness(replies=["你好！很高兴认识你。"]) as h:
        await h.send({"type": "session.update", "session": {"output_modalities": ["text"]}})
        await h.send({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user",
            "content": [{"type": "input_text", "text": "你好"}]}})
        await h.send({"type": "response.create"})
        await h.wait(1.0)
    assert h.first("conversation.item.added").event["item"]["content"][0]["text"] == "你好"
    text = "".join(s.event["delta"] for s in h.of("response.output_text.delta"))
    assert text == "你好！很高兴认识你。"
    assert h.first("response.output_text.done").event["text"] == text
    assert h.of("response.output_audio.delta") == []
    done = h.first("response.done").event["response"]
    assert done["status"] == "completed" and done["output_modalities"] == ["text"]
    assert h.responder.calls[0].last_user_text == "你好"


async def test_response_create_can_override_modalities_and_instructions() -> None:
    async with CallHarness(replies=["好的。"]) as h:
        await h.send({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user",
            "content": [{"type": "input_text", "text": "hi"}]}})
        await h.send({"type": "response.create", "response": {
            "output_modalities": ["text"], "instructions": "be brief"}})
        await h.wait(1.0)
    assert h.responder.calls[0].instructions == "be brief"
    assert h.of("response.output_audio.delta") == []


@pytest.mark.parametrize(("fmt", "kind"), [("audio/pcmu", "pcmu"), ("audio/pcma", "pcma")])
async def test_g711_in_and_out(fmt: str, kind: str) -> None:
    wire = WireFormat(kind, 8000)  # type: ignore[arg-type]
    script = SpeechScript().say(0.5, 1.5, "电话线路。")
    async with CallHarness(script=script, replies=["听得到。"]) as h:
        await h.send({"type": "session.update", "session": {"audio": {
            "input": {"format": {"type": fmt}}, "output": {"format": {"type": fmt}}}}})
        await h.speak_until(4.0, wire=wire)
    assert h.first("conversation.item.input_audio_transcription.completed").event[
        "transcript"] == "电话线路。"
    rid = h.first("response.done").event["response"]["id"]
    audio = h.decoded_audio(rid, wire)
    assert len(audio) / 8000 == pytest.approx(len("听得到。") * 0.08, abs=0.02)
    assert np.abs(audio.astype(np.int32)).max() > 1000  # real signal, not silence


async def test_a_failing_recogniser_degrades_the_turn_not_the_call() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。")
    replies = ["我没听清，再说一遍好吗？"]
    async with CallHarness(script=script, asr_fails=True, replies=replies) as h:
        await h.speak_until(4.0)
    assert h.first("conversation.item.input_audio_transcription.failed")
    assert h.first("response.done").event["response"]["status"] == "completed"


async def test_a_failing_responder_fails_the_reply_and_the_call_goes_on() -> None:
    async with CallHarness() as h:
        def broken(_: object) -> str:
            raise RuntimeError("model crashed")
        h.responder._replies = broken
        await h.send({"type": "response.create"})
        await h.wait(0.5)
        failed = h.first("response.done").event["response"]
        h.responder._replies = ["好了。"]
        await h.send({"type": "response.create"})
        await h.wait(1.0)
    assert failed["status"] == "failed"
    assert failed["status_details"]["error"]["code"] == "engine_error"
    assert h.of("response.done")[-1].event["response"]["status"] == "completed"
