"""Semantic end of turn in a call (eagerness auto), on a virtual clock with scripted speech:
a finished turn is answered after a short pause, an unfinished one is waited for."""

from __future__ import annotations

from typing import Any

from lingxi.engines.fake import SpeechScript
from lingxi.session.call_settings import CallSettings
from tests.harness import CallHarness

AUTO: dict[str, Any] = {"type": "session.update", "session": {"audio": {"input": {
    "turn_detection": {"type": "semantic_vad", "eagerness": "auto"}}}}}


async def _call(script: SpeechScript, until_s: float, partial_delay_s: float = 0.0,
                ) -> CallHarness:
    async with CallHarness(script=script, replies=["嗯。"],
                           asr_partial_delay_s=partial_delay_s) as h:
        await h.send(AUTO)
        await h.speak_until(until_s)
    return h


async def test_a_pause_after_an_unfinished_sentence_gets_no_reply() -> None:
    for first, rest in [("我今天早上，", "本来想去跑步的。"), ("我觉得那个", "电影挺好看的。"),
                        ("I went to the store and", " bought some bread.")]:
        script = SpeechScript().say(0.5, 1.5, first).say(2.8, 3.8, rest)
        h = await _call(script, 6.5, partial_delay_s=0.3)
        committed = h.of("input_audio_buffer.committed")
        assert len(committed) == 1, first
        assert all(r.at > 3.8 for r in h.of("response.created")), first
        transcript = h.first("conversation.item.input_audio_transcription.completed")
        assert transcript.event["transcript"] == first + rest


async def test_a_finished_question_is_answered_once_its_words_are_known() -> None:
    # The decode at the pause takes 300 ms: the turn ends as soon as it says "a question",
    # not after a fixed half second of silence, and not before the words are known.
    h = await _call(SpeechScript().say(0.5, 1.5, "你叫什么名字？"), 3.0, partial_delay_s=0.3)
    stopped = h.first("input_audio_buffer.speech_stopped").at
    assert 1.5 + 0.3 <= stopped < 1.5 + 0.5
    assert h.first("response.created").at >= stopped


async def test_a_finished_statement_ends_after_a_quarter_second_of_silence() -> None:
    h = await _call(SpeechScript().say(0.5, 1.5, "我有点累了。"), 3.0)
    stopped = h.first("input_audio_buffer.speech_stopped").at
    assert 1.5 + 0.2 <= stopped <= 1.5 + 0.3
    assert len(h.of("input_audio_buffer.committed")) == 1


async def test_words_decoded_before_a_later_pause_do_not_end_that_pause() -> None:
    # "我到家了。" then a 100 ms breath, "然后", a pause: the decode asked at the breath
    # comes back (complete-looking, slow) during the second pause. Only the second pause's
    # own words ("…然后") decide it, so the caller is not cut off before "我们去吃饭了。".
    script = (SpeechScript().say(0.5, 1.5, "我到家了。").say(1.6, 1.9, "然后")
              .say(2.6, 3.4, "我们去吃饭了。"))
    h = await _call(script, 6.0, partial_delay_s=0.5)
    assert len(h.of("input_audio_buffer.committed")) == 1
    assert h.first("conversation.item.input_audio_transcription.completed").event[
        "transcript"] == "我到家了。然后我们去吃饭了。"


async def test_a_comma_pause_after_a_bare_statement_does_not_end_the_turn() -> None:
    # "我下午去医院，" and a 350 ms breath, as long as a comma pause: no particle closed
    # the statement, so the caller is not answered before "因为头有点疼。".
    script = SpeechScript().say(0.5, 1.5, "我下午去医院。").say(1.85, 2.8, "因为头有点疼。")
    h = await _call(script, 5.0)
    assert len(h.of("input_audio_buffer.committed")) == 1
    assert all(r.at > 2.8 for r in h.of("response.created"))


async def test_a_subject_after_you_know_what_waits_for_what_it_did() -> None:
    script = SpeechScript().say(0.5, 1.8, "你知道吗，我们公司").say(2.6, 3.6, "又要加班了。")
    h = await _call(script, 6.0, partial_delay_s=0.3)
    assert len(h.of("input_audio_buffer.committed")) == 1
    assert all(r.at > 3.6 for r in h.of("response.created"))


class FinishedFake:
    """The learned end-of-turn reading, as a fake: P(finished) per text, given."""

    def __init__(self, readings: dict[str, float], fail: bool = False) -> None:
        self.readings = readings
        self.fail = fail
        self.asked: list[str] = []

    def finished(self, text: str) -> float:
        self.asked.append(text)
        if self.fail:
            raise RuntimeError("encoder gone")
        return self.readings.get(text, 0.5)


async def _read_call(script: SpeechScript, until_s: float, reader: FinishedFake | None,
                     ) -> CallHarness:
    settings = CallSettings(duties=False, eot_reader=reader)
    async with CallHarness(script=script, replies=["嗯。"], asr_partial_delay_s=0.3,
                           settings=settings) as h:
        await h.send(AUTO)
        await h.speak_until(until_s)
    return h


TOPIC_THEN_MORE = SpeechScript().say(0.5, 1.3, "我那个同事。").say(2.5, 3.5, "今天又抢了我的功劳。")


async def test_a_topic_read_as_unfinished_is_waited_for() -> None:
    reader = FinishedFake({"我那个同事。": 0.05})
    h = await _read_call(TOPIC_THEN_MORE, 6.0, reader)
    assert reader.asked[0] == "我那个同事。"
    assert len(h.of("input_audio_buffer.committed")) == 1
    assert all(r.at > 3.5 for r in h.of("response.created"))


async def test_without_the_reading_the_same_pause_is_taken_as_the_end() -> None:
    h = await _read_call(TOPIC_THEN_MORE, 6.0, None)
    assert len(h.of("input_audio_buffer.committed")) == 2
    assert h.first("response.created").at < 2.5


async def test_a_bare_statement_read_as_finished_is_answered_sooner() -> None:
    said = SpeechScript().say(0.5, 1.5, "我明天去医院。")
    sooner = await _read_call(said, 3.0, FinishedFake({"我明天去医院。": 0.95}))
    rules = await _read_call(said, 3.0, FinishedFake({"我明天去医院。": 0.5}))
    failing = await _read_call(said, 3.0, FinishedFake({}, fail=True))
    stopped = [h.first("input_audio_buffer.speech_stopped").at for h in (sooner, rules, failing)]
    assert stopped[0] < 1.5 + 0.4  # the decode (0.3 s), then at once: 250 ms had passed
    assert stopped[1] >= 1.5 + 0.45 and stopped[2] == stopped[1]  # the rules' 450 ms


async def test_words_with_a_plain_sign_are_never_read() -> None:
    reader = FinishedFake({})
    await _read_call(SpeechScript().say(0.5, 1.5, "你叫什么名字？"), 3.0, reader)
    await _read_call(SpeechScript().say(0.5, 1.5, "我今天早上，").say(2.5, 3.0, "去跑步了。"),
                     4.5, reader)
    assert reader.asked == []
