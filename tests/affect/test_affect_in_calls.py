"""Affect in a call (virtual clock): each user turn's affect goes to the page as an opt-in
`lingxi.input.affect` event, to the brain as a short note, and into the reply's voice (the
mood timeline: tests/memory/test_calls.py); a voice that cannot be measured leaves the words
to speak."""

from __future__ import annotations

from collections.abc import Callable

from lingxi.audio import Pcm
from lingxi.engines.affect import CallerAffect
from lingxi.engines.fake import SpeechScript
from lingxi.interfaces import Affect
from lingxi.session.call import CallSettings
from tests.harness import CallHarness

EVENTS_ON = {"type": "session.update", "session": {"type": "realtime",
                                                   "lingxi": {"events": True}}}


async def spoken_call(script: SpeechScript, settings: CallSettings | None = None,
                      until_s: float = 8.0) -> CallHarness:
    h = CallHarness(script=script, replies=["我在呢，慢慢说。"],
                    settings=settings or CallSettings(duties=False))
    async with h:
        await h.send(EVENTS_ON)
        await h.speak_until(until_s)
    return h


async def test_good_news_is_heard_noted_for_the_brain_and_answered_livelier() -> None:
    h = await spoken_call(SpeechScript().say(0.5, 2.0, "我考上研究生了！"))
    affect = h.first("lingxi.input.affect").event
    assert affect["label"] == "happy" and affect["valence"] > 0
    item = h.first("conversation.item.input_audio_transcription.completed").event["item_id"]
    assert affect["item_id"] == item
    request = h.responder.calls[0]
    assert "开心" in request.affect_note
    reply = h.first("response.done").event["response"]["output"][0]["content"][0]
    assert reply["transcript"].startswith("哇！")  # the voice's interjection, heard and shown


async def test_sad_news_is_noted_and_answered_with_a_sigh() -> None:
    h = await spoken_call(SpeechScript().say(0.5, 2.5, "陪了我十年的老狗今天走了"))
    assert h.first("lingxi.input.affect").event["label"] == "sad"
    assert "难过" in h.responder.calls[0].affect_note
    reply = h.first("response.done").event["response"]["output"][0]["content"][0]
    assert reply["transcript"].startswith("唉")


async def test_the_affect_event_is_opt_in() -> None:
    h = CallHarness(script=SpeechScript().say(0.5, 2.0, "我考上研究生了！"),
                    settings=CallSettings(duties=False))
    async with h:
        await h.speak_until(6.0)
    assert h.of("response.done") and not h.of("lingxi.input.affect")


class Deaf(CallerAffect):
    """An affect reader (fake) whose ear fails on every turn."""

    def listen(self, pcm: Pcm, sample_rate: int) -> Callable[[str], Affect]:
        raise RuntimeError("no ear today")


async def test_a_voice_that_cannot_be_measured_leaves_the_words_to_speak() -> None:
    h = await spoken_call(SpeechScript().say(0.5, 2.0, "今天好累啊"),
                          CallSettings(duties=False, affect=Deaf))
    assert h.first("lingxi.input.affect").event["label"] == "tired"
    assert h.first("response.done").event["response"]["status"] == "completed"


async def test_no_affect_reader_means_no_affect_and_the_call_goes_on() -> None:
    h = await spoken_call(SpeechScript().say(0.5, 2.0, "我考上研究生了！"),
                          CallSettings(duties=False, affect=None))
    assert not h.of("lingxi.input.affect")
    assert h.responder.calls[0].affect_note == ""
    assert h.first("response.done").event["response"]["status"] == "completed"


async def test_the_voice_is_heard_against_the_callers_own_earlier_turns() -> None:
    # Six syllables in 1.5 s each: the same rate every turn.
    script = SpeechScript().say(0.5, 2.0, "你好，我是小王").say(6.0, 7.5, "今天下午开会").say(
        12.0, 13.5, "晚上想吃面条")
    h = await spoken_call(script, until_s=18.0)
    events = [e.event for e in h.of("lingxi.input.affect")]
    assert len(events) == 3
    # The fake caller's voice never changes: nothing stands out against their baseline.
    assert all(e["label"] == "neutral" and not e["whispering"] for e in events)
    assert all(abs(e["arousal"]) < 0.2 for e in events)
    assert [e["cues"] for e in events] == [[], [], []]
