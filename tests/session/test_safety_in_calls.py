"""Safety wraps the responder in a call: a dark night is answered with care, not by the model."""

from __future__ import annotations

from typing import Any

from lingxi.engines.fake import SpeechScript
from lingxi.safety.policy import decide
from tests.harness import CallHarness

OPT_IN = {"type": "session.update", "session": {"lingxi": {"events": True}}}


def reply_transcripts(h: CallHarness) -> list[str]:
    return [s.event["transcript"] for s in h.of("response.output_audio_transcript.done")]


async def say_text(h: CallHarness, text: str) -> None:
    await h.send({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}})
    await h.send({"type": "response.create"})
    await h.wait(30.0)


async def test_a_spoken_dark_thought_gets_the_safe_reply_and_the_hotline_card() -> None:
    script = SpeechScript().say(0.5, 2.0, "活着真没意思，我不想活了")
    async with CallHarness(script=script, replies=["模型不该说这句。"]) as h:
        await h.send(OPT_IN)
        await h.speak_until(4.0)
        await h.wait(30.0)
    notice: dict[str, Any] = h.first("lingxi.safety.notice").event
    expected = decide(notice["level"], lang="zh", region=None, turn=0)
    assert notice["level"] in ("passive", "active")
    assert expected.reply is not None and "12356" in expected.reply
    assert reply_transcripts(h) == [expected.reply]
    assert h.responder.calls == []  # the model never got to answer this turn
    assert "12356" in [line["number"] for line in notice["hotlines"]]
    assert h.first("response.done").event["response"]["status"] == "completed"


async def test_hyperbole_is_just_conversation() -> None:
    script = SpeechScript().say(0.5, 2.0, "今天又误机了，气死我了，真是累死了")
    async with CallHarness(script=script, replies=["换谁都会崩溃的。"]) as h:
        await h.send(OPT_IN)
        await h.speak_until(6.0)
    assert reply_transcripts(h) == ["换谁都会崩溃的。"]
    assert h.of("lingxi.safety.notice") == []


async def test_means_at_hand_brings_emergency_numbers_and_escalation() -> None:
    async with CallHarness(replies=["never said"]) as h:
        await h.send(OPT_IN)
        await say_text(h, "I have the pills in my hand right now")
    notice = h.first("lingxi.safety.notice").event
    assert notice["level"] == "imminent" and notice["escalate"] is True
    numbers = {line["number"] for line in notice["hotlines"]}
    assert {"911", "988"} <= numbers
    assert "911" in h.first("response.output_audio_transcript.done").event["transcript"]
    assert h.responder.calls == []


async def test_risk_never_drops_within_the_call_and_the_words_vary() -> None:
    async with CallHarness(replies=["好的。"]) as h:
        await say_text(h, "我不想活了")
        await say_text(h, "开玩笑的啦，谢谢你")
    first, second = reply_transcripts(h)
    assert first != second
    assert h.responder.calls == []


async def test_the_callers_region_picks_the_hotline() -> None:
    async with CallHarness(replies=["好的。"]) as h:
        await h.send({"type": "session.update",
                      "session": {"lingxi": {"events": True, "region": "HK"}}})
        await say_text(h, "我唔想活了，真系好攰")
    notice = h.first("lingxi.safety.notice").event
    assert "18111" in {line["number"] for line in notice["hotlines"]}


async def test_clients_that_did_not_opt_in_still_get_the_safe_reply_but_no_card() -> None:
    async with CallHarness(replies=["模型不该说这句。"]) as h:
        await say_text(h, "我不想活了")
    assert h.of("lingxi.safety.notice") == []
    assert "12356" in reply_transcripts(h)[0]
