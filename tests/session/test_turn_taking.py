"""Turn-taking and barge-in on a virtual clock: the moments a caller notices."""

from __future__ import annotations

import pytest

from lingxi.engines.fake import SpeechScript
from tests.harness import CallHarness

REPLY = "好的，我明白了。你慢慢说，我一直都在这里陪着你，不着急，我们一起想想办法。"  # 40 chars


async def test_committed_turn_produces_exactly_one_reply() -> None:
    script = SpeechScript().say(0.5, 2.0, "我错过了航班。")
    async with CallHarness(script=script, replies=[REPLY]) as h:
        await h.speak_until(7.0)
    assert len(h.of("input_audio_buffer.speech_started")) == 1
    assert len(h.of("input_audio_buffer.committed")) == 1
    assert len(h.of("response.created")) == 1
    done = h.first("response.done").event["response"]
    assert done["status"] == "completed"
    transcript = h.first("conversation.item.input_audio_transcription.completed").event
    assert transcript["transcript"] == "我错过了航班。"
    assert h.responder.calls[0].last_user_text == "我错过了航班。"
    # Every character of the reply was spoken: 80 ms each, within one resampler flush.
    assert h.audio_ms(done["id"]) == pytest.approx(len(REPLY) * 80, abs=15)
    assert done["output"][0]["content"][0]["transcript"] == REPLY


async def test_speech_timestamps_follow_the_input_audio() -> None:
    script = SpeechScript().say(1.0, 2.0, "你好。")
    async with CallHarness(script=script) as h:
        await h.speak_until(3.0)
    started = h.first("input_audio_buffer.speech_started").event
    stopped = h.first("input_audio_buffer.speech_stopped").event
    assert started["audio_start_ms"] == pytest.approx(1000 - 300, abs=40)  # prefix padding
    assert stopped["audio_end_ms"] == pytest.approx(2000, abs=40)
    assert started["item_id"] == stopped["item_id"]


async def test_pause_shorter_than_silence_duration_does_not_end_the_turn() -> None:
    script = SpeechScript().say(0.5, 1.5, "我今天，").say(1.8, 2.8, "错过了航班。")
    async with CallHarness(script=script) as h:
        await h.speak_until(5.0)
    assert len(h.of("input_audio_buffer.speech_started")) == 1
    assert len(h.of("input_audio_buffer.speech_stopped")) == 1
    assert h.first("conversation.item.input_audio_transcription.completed").event[
        "transcript"] == "我今天，错过了航班。"


async def test_pause_longer_than_silence_duration_ends_the_turn() -> None:
    script = SpeechScript().say(0.5, 1.5, "第一句。").say(2.3, 3.0, "第二句。")
    async with CallHarness(script=script, replies=["嗯。"]) as h:
        await h.speak_until(5.0)
    assert len(h.of("input_audio_buffer.committed")) == 2
    transcripts = [s.event["transcript"] for s in
                   h.of("conversation.item.input_audio_transcription.completed")]
    assert transcripts == ["第一句。", "第二句。"]


async def test_speech_during_a_reply_cancels_it_and_no_stale_audio_follows() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。").say(3.0, 4.0, "等一下！")
    async with CallHarness(script=script, replies=[REPLY, "好，我在听。"],
                           server_truncation=True) as h:
        await h.speak_until(8.0)
    first_id = h.of("response.created")[0].event["response"]["id"]
    barge = h.of("input_audio_buffer.speech_started")[1]
    cancelled = next(s for s in h.of("response.done") if s.event["response"]["id"] == first_id)
    assert cancelled.event["response"]["status"] == "cancelled"
    assert cancelled.event["response"]["status_details"]["reason"] == "turn_detected"
    # Cancelled at the instant speech was detected, 64 ms (two VAD frames) after onset.
    assert cancelled.at == barge.at
    assert barge.at - 3.0 == pytest.approx(0.064, abs=0.035)
    index = h.channel.sent.index(barge)
    stale = [s for s in h.channel.sent[index:]
             if s.type == "response.output_audio.delta" and s.event["response_id"] == first_id]
    assert stale == []
    # The interrupted reply is followed by exactly one reply to the new turn.
    assert len(h.of("response.created")) == 2
    assert h.of("response.done")[-1].event["response"]["status"] == "completed"


async def test_truncation_keeps_only_what_was_heard() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。").say(3.0, 4.0, "等一下！")
    async with CallHarness(script=script, replies=[REPLY, "好，我在听。"],
                           server_truncation=True) as h:
        await h.speak_until(8.0)
        first = h.of("response.created")[0].event["response"]
        first_audio = [s for s in h.of("response.output_audio.delta")
                       if s.event["response_id"] == first["id"]]
        barge = h.of("input_audio_buffer.speech_started")[1]
        truncated = h.first("conversation.item.truncated").event
        item = await h.retrieve(first_audio[0].event["item_id"])
    played_ms = (barge.at - first_audio[0].at) * 1000
    assert truncated["audio_end_ms"] == pytest.approx(played_ms, abs=1)
    heard = item["content"][0]["transcript"]
    assert REPLY.startswith(heard) and heard != REPLY
    assert len(heard) == pytest.approx(played_ms / 80, abs=1)
    # What was sent never ran more than the pacing lead (+ one chunk) ahead of playback.
    assert h.audio_ms(first["id"]) <= played_ms + 400 + 100
    # The next reply is built from what the person heard, not from what was written.
    history = h.responder.calls[1].history
    assert [m.text for m in history if m.role == "assistant"] == [heard]


async def test_an_api_client_truncates_itself_as_with_openai() -> None:
    # Without lingxi.server_truncation the server never sends `conversation.item.truncated`
    # on its own: the interrupted item keeps what was sent until the client says what it
    # played, and a finished reply still playing is left whole.
    script = SpeechScript().say(0.5, 1.5, "你好。").say(3.0, 4.0, "等一下！")
    async with CallHarness(script=script, replies=[REPLY, "这是一个比较短的回答。"]) as h:
        await h.speak_until(6.0)
        first = h.of("response.created")[0].event["response"]
        item_id = h.first("response.output_audio.delta").event["item_id"]
        sent = await h.retrieve(item_id)
        await h.send({"type": "conversation.item.truncate", "item_id": item_id,
                      "content_index": 0, "audio_end_ms": 400})
        played = await h.retrieve(item_id)
        await h.speak_until(7.0)
    done = next(s for s in h.of("response.done") if s.event["response"]["id"] == first["id"])
    assert done.event["response"]["status"] == "cancelled"
    assert [s.event["audio_end_ms"] for s in h.of("conversation.item.truncated")] == [400]
    written = sent["content"][0]["transcript"]
    assert sent["status"] == "incomplete"
    assert REPLY.startswith(written) and len(written) >= h.audio_ms(first["id"]) / 80 - 1
    assert played["content"][0]["transcript"] == REPLY[:5]


async def test_client_truncate_overrides_the_server_estimate() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。")
    async with CallHarness(script=script, replies=[REPLY]) as h:
        await h.speak_until(3.0)
        item_id = h.first("response.output_audio.delta").event["item_id"]
        await h.send({"type": "conversation.item.truncate", "item_id": item_id,
                      "content_index": 0, "audio_end_ms": 400})
        item = await h.retrieve(item_id)
        await h.speak_until(4.0)
    assert h.first("conversation.item.truncated").event["audio_end_ms"] == 400
    assert item["content"][0]["transcript"] == REPLY[:5]
    done = h.first("response.done").event["response"]
    assert done["status"] == "cancelled"
    assert done["status_details"]["reason"] == "client_cancelled"


async def test_barge_in_after_generation_truncates_by_playback_estimate() -> None:
    # Short reply: fully sent (paced 400 ms ahead) but still playing when the user cuts in.
    reply = "这是一个比较短的回答。"  # 11 chars = 880 ms
    script = SpeechScript().say(0.5, 1.5, "你好。").say(2.6, 3.2, "嗯？")
    async with CallHarness(script=script, replies=[reply, "好。"], server_truncation=True) as h:
        await h.speak_until(5.0)
        first = h.of("response.created")[0].event["response"]
        item_id = h.first("response.output_audio.delta").event["item_id"]
        item = await h.retrieve(item_id)
    done = next(s for s in h.of("response.done") if s.event["response"]["id"] == first["id"])
    assert done.event["response"]["status"] == "completed"
    truncated = h.first("conversation.item.truncated").event
    assert truncated["item_id"] == item_id
    assert 0 < truncated["audio_end_ms"] < 880
    assert item["content"][0]["transcript"] == reply[: int(truncated["audio_end_ms"] / 80)]


async def test_interrupt_response_false_lets_the_reply_finish() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。").say(3.0, 3.5, "嗯。")
    async with CallHarness(script=script, replies=[REPLY]) as h:
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": {"type": "server_vad", "interrupt_response": False}}}}})
        await h.speak_until(8.0)
    assert h.of("response.done")[0].event["response"]["status"] == "completed"


async def test_manual_mode_waits_for_commit_and_response_create() -> None:
    script = SpeechScript().say(0.5, 1.5, "手动提交。")
    async with CallHarness(script=script, replies=["收到。"]) as h:
        await h.send({"type": "session.update",
                      "session": {"audio": {"input": {"turn_detection": None}}}})
        assert h.first("session.updated").event["session"]["audio"]["input"][
            "turn_detection"] is None
        await h.speak_until(4.0)
        assert h.of("input_audio_buffer.speech_started") == []
        assert h.of("input_audio_buffer.committed") == []
        await h.send({"type": "input_audio_buffer.commit"})
        await h.wait(1.0)
        assert len(h.of("input_audio_buffer.committed")) == 1
        assert h.of("response.created") == []
        await h.send({"type": "response.create"})
        await h.wait(2.0)
    assert h.first("conversation.item.input_audio_transcription.completed").event[
        "transcript"] == "手动提交。"
    assert h.first("response.done").event["response"]["status"] == "completed"


async def test_create_response_false_commits_without_replying() -> None:
    script = SpeechScript().say(0.5, 1.5, "只听不答。")
    async with CallHarness(script=script) as h:
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": {"type": "server_vad", "create_response": False}}}}})
        await h.speak_until(4.0)
    assert len(h.of("input_audio_buffer.committed")) == 1
    assert h.of("response.created") == []


async def test_idle_timeout_prompts_the_silent_caller() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。")
    async with CallHarness(script=script, replies=["你好呀。", "你还在吗？"]) as h:
        await h.send({"type": "session.update", "session": {"audio": {"input": {
            "turn_detection": {"type": "server_vad", "idle_timeout_ms": 5000}}}}})
        await h.speak_until(12.0)
    first_done = h.of("response.done")[0]
    timeout = h.first("input_audio_buffer.timeout_triggered")
    assert timeout.at - first_done.at == pytest.approx(5.0 + 0.4, abs=0.2)  # + playback lead
    assert len(h.of("response.created")) == 2


async def test_first_token_delay_shows_as_engine_time_not_server_overhead() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。")
    async with CallHarness(script=script, replies=["好。"], first_token_delay_s=0.3,
                           asr_delay_s=0.2, tts_delay_s=0.1) as h:
        await h.send({"type": "session.update", "session": {"lingxi": {"events": True}}})
        await h.speak_until(4.0)
    stopped = h.first("input_audio_buffer.speech_stopped")
    first_audio = h.first("response.output_audio.delta")
    assert first_audio.at - stopped.at == pytest.approx(0.6, abs=1e-6)
    timings = h.first("lingxi.turn.metrics").event["timings_ms"]
    assert timings["asr_wait_ms"] == pytest.approx(200, abs=1)
    assert timings["responder_first_token_ms"] == pytest.approx(300, abs=1)
    assert timings["tts_first_chunk_ms"] == pytest.approx(100, abs=1)
    assert timings["first_audio_ms"] == pytest.approx(600, abs=1)
    # Each engine wait is counted once: on a virtual clock the server itself costs nothing.
    assert timings["engine_ms"] == pytest.approx(600, abs=1)
    assert timings["server_overhead_ms"] == pytest.approx(0, abs=1)


async def test_lingxi_events_only_for_clients_that_ask() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。")
    async with CallHarness(script=script, replies=["好。"]) as h:
        await h.speak_until(4.0)
    assert h.first("response.done")
    assert not [s for s in h.channel.sent if s.type.startswith("lingxi.")]


async def test_on_a_slow_link_queued_audio_of_a_cancelled_reply_is_dropped() -> None:
    # Each message takes 120 ms to send, so audio deltas queue up behind one another; the
    # barge-in must overtake them (control lane) and the queued ones must never be sent.
    script = SpeechScript().say(0.5, 1.5, "你好。").say(3.0, 4.0, "等一下！")
    async with CallHarness(script=script, replies=[REPLY, "好。"], send_delay_s=0.12) as h:
        await h.speak_until(8.0)
    first_id = h.of("response.created")[0].event["response"]["id"]
    barge = h.of("input_audio_buffer.speech_started")[1]
    index = h.channel.sent.index(barge)
    stale = [s for s in h.channel.sent[index:]
             if s.type == "response.output_audio.delta" and s.event["response_id"] == first_id]
    assert stale == []
    assert h.call.outbox.dropped > 0
