"""A barge-in that lands between two clauses of a streamed reply, while the page has nothing
left to play: the page must still cut the reply where the caller stopped hearing it.

The voice here stalls before the reply's second clause (as a slow synthesizer or network does
mid-reply), so the page plays the first clause, runs dry and waits; the caller's interruption
from the microphone track arrives during that wait. Nothing is playing at that instant, yet the
reply is not over: the server must be told how much of it was heard (the first clause only) and
the caption must keep only that clause.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.sync_api import BrowserContext, expect

from lingxi.audio import Pcm
from lingxi.clock import Clock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS
from lingxi.interfaces import Engines, Voice
from tests.browser.conftest import (
    INTERRUPTION,
    QUESTION,
    MicTrack,
)
from tests.browser.server import serving

MS_PER_CHAR = 80.0
WIRE_RATE = 24_000  # the page asks for PCM16 at 24 kHz
FIRST_CLAUSE = "嗯，我在。"  # 400 ms of the fake voice
SECOND_CLAUSE = "你慢慢说，"
REPLY = FIRST_CLAUSE + SECOND_CLAUSE + "今天发生什么事了都可以告诉我。"
# The reply starts ~0.6 s after the question and the interruption is spoken 2.5 s after it, so
# it lands ~1.9 s into the reply: 1.5 s after the first clause ran out, long before the second.
STALL_S = 6.0
SHORT_REPLY = "好，我在听。"
# Holds the playback worklet's answer to a flush for 300 ms, as a busy audio thread may: the
# server's response.done for the cancelled reply (sent right after speech_started) then reaches
# the page before the page knows what was played.
SLOW_AUDIO_THREAD = """
const own = Object.getOwnPropertyDescriptor(MessagePort.prototype, "onmessage");
Object.defineProperty(MessagePort.prototype, "onmessage", {
  configurable: true,
  get() { return own.get.call(this); },
  set(handler) {
    own.set.call(this, handler && ((e) => {
      if (e.data && e.data.type === "flushed") setTimeout(() => handler.call(this, e), 300);
      else handler.call(this, e);
    }));
  },
});
"""


class StallingTTS(FakeTTS):
    """The fake voice, but it takes `stall_s` before it starts one chosen clause."""

    def __init__(self, clock: Clock, *, stall_before: str, stall_s: float) -> None:
        super().__init__(clock, ms_per_char=MS_PER_CHAR)
        self.stall_before = stall_before
        self.stall_s = stall_s

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        if text.strip() == self.stall_before.strip():
            await self.clock.sleep(self.stall_s)
        async for chunk in super().synthesize(text, voice):
            yield chunk


@pytest.mark.parametrize("audio_thread", ["prompt", "slow"])
def test_an_interruption_between_clauses_still_truncates_and_cuts_the_caption(
        context: BrowserContext, mic_track: MicTrack, audio_thread: str) -> None:
    def engines(responder: FakeResponder) -> Engines:
        clock = responder.clock
        return Engines(vad=EnergyVad(), asr=FakeASR(clock, mic_track.script),
                       responder=responder,
                       tts=StallingTTS(clock, stall_before=SECOND_CLAUSE, stall_s=STALL_S))

    # Affect off: the caller sounds tired, and a calm voice is slower than the 80 ms a character
    # the clause lengths here are worked out with.
    with serving(mic_track.script, [REPLY, SHORT_REPLY], speech=engines,
                 settings=Settings(duties=False, affect=False)) as server:
        page = context.new_page()
        if audio_thread == "slow":
            page.add_init_script(SLOW_AUDIO_THREAD)
        page.goto(server.url + "?processing=off&turn=silence")
        page.locator("#call").click()
        expect(page.locator(".caption.user .text").first).to_have_text(QUESTION, timeout=10_000)
        page.wait_for_function("() => window.lingxiStats.truncates >= 1", timeout=15_000)
        cut = page.locator(".caption.assistant.interrupted")
        expect(cut).to_have_count(1)
        expect(cut.locator(".text")).to_have_text(FIRST_CLAUSE)  # heard; the rest never was
        expect(cut).to_contain_text("被打断")
        expect(page.locator(".caption.user .text").nth(1)).to_have_text(INTERRUPTION,
                                                                         timeout=10_000)
        expect(page.locator(".caption.assistant .text").nth(1)).to_have_text(SHORT_REPLY,
                                                                             timeout=10_000)
        seen = page.evaluate("() => window.lingxiStats")

    # The moment under test: the caller spoke in the gap. Before the barge-in the server had
    # sent audio of the first clause only (its last part may wait in the server's 100 ms
    # framing), and the page had played all of it and run dry (an underrun).
    events = server.recorder.server
    barge_in = [i for i, s in enumerate(events)
                if s.type == "input_audio_buffer.speech_started"][1]
    sent_bytes = sum(s.event["delta"] * 3 // 4 for s in events[:barge_in]  # base64 lengths
                     if s.type == "response.output_audio.delta")
    sent_ms = 1000 * sent_bytes / 2 / WIRE_RATE
    assert 0 < sent_ms <= len(FIRST_CLAUSE) * MS_PER_CHAR, sent_ms
    assert seen["underruns"] >= 1

    item = server.server_events("response.output_item.added")[0]["item"]["id"]
    truncates = server.client_events("conversation.item.truncate")
    assert [t["item_id"] for t in truncates] == [item]
    heard_ms = truncates[0]["audio_end_ms"]
    assert abs(heard_ms - sent_ms) <= 2, (heard_ms, sent_ms)  # all it had, nothing more
    assert seen["last_truncate"] == {"item_id": item, "audio_end_ms": heard_ms}
    echoed = server.server_events("conversation.item.truncated")
    assert echoed and echoed[-1]["item_id"] == item and echoed[-1]["audio_end_ms"] == heard_ms
