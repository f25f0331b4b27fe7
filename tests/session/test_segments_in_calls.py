"""A skill's segments in a real call (virtual clock): ready-made audio (a sung line) is played
and captioned, a barge-in cuts it to what was heard, and the words after it follow in order."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
import pytest

from lingxi.engines.fake import SpeechScript
from lingxi.session.call import CallSettings
from lingxi.turn import Audio, Claim, Say, Segment, Skill, Turn
from tests.harness import CallHarness

LINE = "一闪一闪亮晶晶，满天都是小星星。"
AFTER = "唱完啦。"
SUNG_S = 2.0


class SingsFake(Skill):
    """A skill (fake) that answers "唱" with two seconds of a tone, captioned, then words."""

    name = "sings-fake"

    def claim(self, turn: Turn) -> Claim | None:
        return Claim(1.0) if "唱" in turn.text else None

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        rate = 16_000
        t = np.arange(int(rate * SUNG_S)) / rate
        yield Audio((8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16), rate, LINE)
        yield Say(AFTER)


def harness(script: SpeechScript) -> CallHarness:
    return CallHarness(script=script, replies=["不该是我"], server_truncation=True,
                       settings=CallSettings(duties=False, skills=(SingsFake(),)))


async def test_sung_audio_is_played_and_captioned_then_the_words() -> None:
    async with harness(SpeechScript().say(0.5, 1.5, "唱首歌")) as h:
        await h.speak_until(8.0)
    done = h.first("response.done").event["response"]
    assert done["status"] == "completed"
    assert done["output"][0]["content"][0]["transcript"] == LINE + AFTER
    deltas = [s.event["delta"] for s in h.of("response.output_audio_transcript.delta")]
    assert deltas[0] == LINE  # the caption goes out with its audio
    # Two seconds of song plus the words (the fake voice: 80 ms a character).
    assert h.audio_ms(done["id"]) == pytest.approx(SUNG_S * 1000 + 80 * len(AFTER), abs=25)
    assert not h.responder.calls  # the skill answered, not the responder


async def test_a_barge_in_cuts_the_song_to_what_was_heard() -> None:
    script = SpeechScript().say(0.5, 1.5, "唱首歌").say(2.8, 3.6, "停一下")
    async with harness(script) as h:
        await h.speak_until(6.0)
        first = h.of("response.created")[0].event["response"]["id"]
        audio = [s for s in h.of("response.output_audio.delta")
                 if s.event["response_id"] == first]
        barge = h.of("input_audio_buffer.speech_started")[1]
        item = await h.retrieve(audio[0].event["item_id"])
    heard = item["content"][0]["transcript"]
    played_s = barge.at - audio[0].at
    assert 0 < played_s < SUNG_S
    assert heard and LINE.startswith(heard) and heard != LINE
    assert len(heard) == pytest.approx(len(LINE) * played_s / SUNG_S, abs=1)


LONG = "这是一个很长很长的回答，会说上好一阵子，我们慢慢来，不着急，一句一句地说完。"


async def test_only_mm_over_a_reply_picks_it_up_again_where_it_was_cut() -> None:
    script = SpeechScript().say(0.5, 1.5, "你好。").say(3.0, 3.4, "嗯嗯")
    async with CallHarness(script=script, replies=[LONG, "不该回答嗯"],
                           server_truncation=True) as h:
        await h.speak_until(12.0)
        done = h.of("response.done")
        first, second = (d.event["response"] for d in done[:2])
        heard = first["output"][0]["content"][0]["transcript"]
        said = second["output"][0]["content"][0]["transcript"]
    assert first["status"] == "cancelled" and heard and LONG.startswith(heard)
    assert second["status"] == "completed" and "不该回答" not in said
    # From the clause that was cut, to the end: nothing unheard is lost, little is repeated.
    assert said.endswith(LONG[len(heard):]) and not said.endswith(LONG)
    assert len(h.responder.calls) == 1


async def test_a_clause_is_sent_whole_while_the_next_one_is_still_being_made() -> None:
    # The fake voice: 80 ms a character, each clause 2 s late; "你好呀，" is 320 ms, which is
    # not a whole number of 100 ms chunks.
    script = SpeechScript().say(0.5, 1.5, "你好")
    async with CallHarness(script=script, replies=["你好呀，今天过得怎么样？"],
                           tts_delay_s=2.0) as h:
        await h.speak_until(5.0)  # the first clause is out, the second still being made
        rid = h.first("response.created").event["response"]["id"]
        assert h.audio_ms(rid) == pytest.approx(320, abs=1)
