"""Races and failures found in review: each once ended a call or corrupted what it remembers."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from lingxi.audio import Pcm
from lingxi.engines import fake
from lingxi.engines.fake import SpeechScript
from lingxi.interfaces import Voice
from lingxi.session.call import CallSettings
from tests.harness import SEMANTIC, CallHarness

LONG = "这是一个很长很长的回答，会说上好一阵子，我们慢慢来，不着急。"


async def test_barge_in_while_the_reply_waits_for_the_transcript() -> None:
    script = SpeechScript().say(0.5, 1.5, "我今天").say(2.1, 3.0, "错过了航班。")
    async with CallHarness(script=script, asr_delay_s=1.0, replies=["好。", "嗯。"]) as h:
        await h.speak_until(6.0)
        h.assert_alive()
    transcripts = [s.event["transcript"] for s in
                   h.of("conversation.item.input_audio_transcription.completed")]
    assert transcripts == ["我今天", "错过了航班。"]  # neither turn is lost


async def test_deleting_the_live_reply_item_closes_it_first() -> None:
    async with CallHarness(replies=[LONG]) as h:
        await h.send({"type": "response.create"})
        await h.wait(0.5)
        item_id = h.first("response.output_audio.delta").event["item_id"]
        await h.send({"type": "conversation.item.delete", "item_id": item_id})
        await h.wait(0.5)
        h.assert_alive()
    types = [s.type for s in h.channel.sent]
    assert types.index("response.done") < types.index("conversation.item.deleted")
    assert h.first("response.done").event["response"]["status"] == "cancelled"


async def test_a_failing_partial_transcript_does_not_end_the_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(self: fake.FakeRecognitionStream) -> str:
        raise RuntimeError("partial failed")

    monkeypatch.setattr(fake.FakeRecognitionStream, "hypothesis", broken)
    script = SpeechScript().say(0.5, 1.5, "你好。")
    async with CallHarness(script=script, replies=["好。"]) as h:
        await h.send(SEMANTIC)
        await h.speak_until(4.0)
        h.assert_alive()
    assert h.first("response.done").event["response"]["status"] == "completed"


async def test_every_response_gets_exactly_one_done() -> None:
    # A slow link keeps the reply flushing while the cancel arrives; try every moment.
    for step in range(120):
        async with CallHarness(replies=["你好！很高兴认识你。"], send_delay_s=0.05) as h:
            await h.send({"type": "session.update",
                          "session": {"output_modalities": ["text"]}})
            await h.send({"type": "response.create"})
            await h.wait(step * 0.01)
            await h.send({"type": "response.cancel"})
            await h.wait(3.0)
        dones = Counter(s.type for s in h.channel.sent)["response.done"]
        assert dones == 1, f"cancel at {step * 0.01:.2f} s gave {dones} response.done"


async def test_a_failed_reply_sends_nothing_after_its_done_and_keeps_what_was_said() -> None:
    h = CallHarness(replies=[LONG], send_delay_s=0.05)
    synthesize = h.tts.synthesize
    calls = 0

    async def flaky(text: str, voice: Voice) -> AsyncIterator[Pcm]:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("tts crashed")
        async for pcm in synthesize(text, voice):
            yield pcm

    h.tts.synthesize = flaky  # type: ignore[method-assign]
    async with h:
        await h.send({"type": "response.create"})
        await h.wait(5.0)
        done = h.first("response.done")
        item = await h.retrieve(done.event["response"]["output"][0]["id"])
    after = h.channel.sent[h.channel.sent.index(done) + 1 :]
    assert not [s for s in after if s.type.startswith("response.output_audio")]
    assert done.event["response"]["status"] == "failed"
    assert item["content"][0]["transcript"] and LONG.startswith(item["content"][0]["transcript"])


async def test_cancel_then_create_in_one_read_keeps_responses_in_order() -> None:
    async with CallHarness(replies=[LONG, "好。"]) as h:
        await h.send({"type": "response.create"})
        await h.wait(0.5)
        h.channel.inbox.put_nowait(json.dumps({"type": "response.cancel"}))
        h.channel.inbox.put_nowait(json.dumps({"type": "response.create"}))
        await h.wait(2.0)
    kinds = [s.type for s in h.channel.sent if s.type in ("response.created", "response.done")]
    assert kinds == ["response.created", "response.done"] * 2


async def test_a_rejected_truncate_changes_nothing() -> None:
    async with CallHarness(replies=[LONG]) as h:
        await h.send({"type": "response.create"})
        await h.wait(1.5)
        item_id = h.first("response.output_audio.delta").event["item_id"]
        await h.send({"type": "conversation.item.truncate", "item_id": item_id,
                      "content_index": 0, "audio_end_ms": 60_000})
        assert h.of("response.done") == []  # the reply goes on
        await h.wait(5.0)
        item = await h.retrieve(item_id)
    assert h.first("response.done").event["response"]["status"] == "completed"
    assert item["content"][0]["transcript"] == LONG


async def test_a_later_barge_in_never_undoes_the_clients_truncation() -> None:
    reply = "这是一个比较短的回答。"
    script = SpeechScript().say(0.5, 1.5, "你好。").say(2.6, 3.2, "嗯？")
    async with CallHarness(script=script, replies=[reply, "好。"]) as h:
        await h.speak_until(2.58)
        item_id = h.first("response.done").event["response"]["output"][0]["id"]
        await h.send({"type": "conversation.item.truncate", "item_id": item_id,
                      "content_index": 0, "audio_end_ms": 160})
        await h.speak_until(5.0)
        item = await h.retrieve(item_id)
    assert item["content"][0]["transcript"] == reply[:2]


async def test_slow_speech_is_not_over_credited_at_a_barge_in() -> None:
    reply = "好的我明白了你慢慢说我一直都在这里陪着你不着急我们一起想办法吧好吗。"  # one clause
    script = SpeechScript().say(0.5, 1.5, "你好。").say(5.0, 6.0, "等一下！")
    async with CallHarness(script=script, replies=[reply, "好。"], ms_per_char=300.0,
                           server_truncation=True) as h:
        await h.speak_until(9.0)
        item = await h.retrieve(h.first("response.output_audio.delta").event["item_id"])
    heard_ms = h.first("conversation.item.truncated").event["audio_end_ms"]
    assert len(item["content"][0]["transcript"]) == pytest.approx(heard_ms / 300, abs=1)


async def test_switching_to_manual_mode_stops_the_idle_timer() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。")
    async with CallHarness(script=script, replies=["你好呀。", "你还在吗？"]) as h:
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": {"type": "server_vad", "idle_timeout_ms": 5000}}}}})
        await h.speak_until(3.0)
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": None}}}})
        await h.wait(8.0)
    assert h.of("input_audio_buffer.timeout_triggered") == []
    assert len(h.of("response.created")) == 1


async def test_idle_timeout_commits_the_silence_as_a_user_turn() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。")
    async with CallHarness(script=script, replies=["你好呀。", "你还在吗？"]) as h:
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": {"type": "server_vad", "idle_timeout_ms": 5000}}}}})
        await h.speak_until(9.0)
    item_id = h.first("input_audio_buffer.timeout_triggered").event["item_id"]
    assert item_id in [s.event["item_id"] for s in h.of("input_audio_buffer.committed")]
    assert item_id in [s.event["item"]["id"] for s in h.of("conversation.item.added")]


async def test_tuning_vad_mid_turn_keeps_the_turn_and_the_clock() -> None:
    script = SpeechScript().say(0.5, 2.0, "我错过了航班。").say(5.0, 6.0, "你好。")
    async with CallHarness(script=script, replies=["好。", "嗯。"]) as h:
        await h.speak_until(1.0)
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": {"silence_duration_ms": 600}}}}})
        await h.speak_until(8.0)
    started = h.of("input_audio_buffer.speech_started")
    committed = {s.event["item_id"] for s in h.of("input_audio_buffer.committed")}
    assert all(s.event["item_id"] in committed for s in started)  # no turn left hanging
    assert started[-1].event["audio_start_ms"] == pytest.approx(5000 - 300, abs=40)


async def test_endless_speech_fills_the_buffer_but_the_call_keeps_listening() -> None:
    script = SpeechScript().say(0.5, 4.0, "很长的一段话").say(6.0, 7.0, "你好。")
    async with CallHarness(script=script, settings=CallSettings(max_buffer_s=3.0, duties=False),
                           replies=["好。"]) as h:
        await h.speak_until(10.0)
    assert h.errors() == []
    transcripts = [s.event["transcript"] for s in
                   h.of("conversation.item.input_audio_transcription.completed")]
    assert transcripts[-1] == "你好。"


async def test_partial_and_final_transcript_deltas_join_to_the_transcript() -> None:
    script = SpeechScript().say(0.5, 1.5, "我今天去了机场，然后").say(2.5, 3.5, "我就误机了。")
    async with CallHarness(script=script, replies=["天哪。"]) as h:
        await h.send(SEMANTIC)
        await h.send({"type": "session.update", "session": {"lingxi": {"events": True}}})
        await h.speak_until(6.0)
    deltas = [s.event["delta"] for s in h.of("conversation.item.input_audio_transcription.delta")]
    final = h.first("conversation.item.input_audio_transcription.completed").event
    assert len(deltas) > 1 and "".join(deltas) == final["transcript"]


async def test_a_stock_client_gets_transcript_deltas_only_once_the_item_exists() -> None:
    script = SpeechScript().say(0.5, 1.5, "我今天去了机场，然后").say(2.5, 3.5, "我就误机了。")
    async with CallHarness(script=script, replies=["天哪。"]) as h:
        await h.send(SEMANTIC)
        await h.speak_until(6.0)
    kinds = [s.type for s in h.channel.sent]
    added = kinds.index("conversation.item.added")
    deltas = [i for i, k in enumerate(kinds)
              if k == "conversation.item.input_audio_transcription.delta"]
    assert deltas and min(deltas) > added
    final = h.first("conversation.item.input_audio_transcription.completed").event
    assert "".join(s.event["delta"] for s in h.of(
        "conversation.item.input_audio_transcription.delta")) == final["transcript"]


async def test_a_turn_during_an_uninterruptible_reply_is_answered_after_it() -> None:
    reply = "好的，我明白了。你慢慢说，我一直都在这里陪着你，不着急，我们一起想想办法。"
    script = SpeechScript().say(0.5, 1.5, "你好。").say(3.0, 3.5, "你叫什么名字？")
    async with CallHarness(script=script, replies=[reply, "我叫灵犀。"]) as h:
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": {"type": "server_vad", "interrupt_response": False}}}}})
        await h.speak_until(12.0)
    statuses = [s.event["response"]["status"] for s in h.of("response.done")]
    assert statuses == ["completed", "completed"]
    assert h.responder.calls[1].last_user_text == "你叫什么名字？"


async def test_on_a_slow_link_only_delivered_audio_counts_as_heard() -> None:
    reply = "好的，我明白了。你慢慢说，我一直都在这里陪着你，不着急，我们一起想想办法。"
    script = SpeechScript().say(0.5, 1.5, "你好。").say(4.0, 5.0, "等一下！")
    async with CallHarness(script=script, replies=[reply, "好。"], send_delay_s=0.15,
                           server_truncation=True) as h:
        await h.speak_until(8.0)
    first = h.of("response.created")[0].event["response"]["id"]
    truncated = h.first("conversation.item.truncated").event["audio_end_ms"]
    assert 0 < truncated <= h.audio_ms(first)
