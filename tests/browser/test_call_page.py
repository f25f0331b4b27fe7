"""The call page in a real browser against the real server: tap the green phone and talk.

The page's microphone is the spoken track from conftest (a question, then an interruption
in the middle of Lingxi's reply); the server runs the real call logic with the named fake
engines (its recogniser hears the track's script, its voice is a tone of 80 ms per character).
"""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import BrowserContext, Page, Route, expect

from lingxi.engines.fake import SpeechScript
from tests.browser.conftest import ARTIFACTS, INTERRUPTION, QUESTION, MicTrack, screenshot
from tests.browser.server import BrowserServer, serving

# 42 characters: 3.4 s of the fake voice, so the interruption lands in the middle of it.
LONG_REPLY = "我在呢，今天发生什么事了？慢慢说，不着急，我一直在这里听你讲，想说多久都可以。"
SHORT_REPLY = "好，我在听。"


def stats(page: Page) -> dict[str, Any]:
    value: dict[str, Any] = page.evaluate("() => window.lingxiStats")
    return value


def no_personas(route: Route) -> None:
    route.abort("connectionrefused")


def open_page(page: Page, server: BrowserServer) -> None:
    # Audio processing off: the fake microphone reaches the page unaltered (a test switch);
    # the track's timeline is laid out for a fixed 500 ms end-of-turn silence.
    page.goto(server.url + "?processing=off&turn=silence")
    expect(page.locator("#call")).to_be_enabled()


def test_a_call_is_heard_answered_and_interrupted(
    context: BrowserContext, mic_track: MicTrack
) -> None:
    with serving(mic_track.script, [LONG_REPLY, SHORT_REPLY]) as server:
        page = context.new_page()
        page.route("**/v1/personas*", no_personas)  # unreachable: the default persona answers
        open_page(page, server)
        expect(page.locator(".persona")).to_have_count(1)
        expect(page.locator(".persona strong")).to_have_text("灵犀")
        expect(page.get_by_role("alert")).to_have_count(0)  # nothing looks broken
        page.get_by_role("button", name="打给灵犀").click()

        call = page.locator("#call-screen")
        expect(call).to_be_visible()
        expect(page.locator("#ai-badge")).to_have_text("AI")
        # The question is recognised and captioned.
        expect(page.locator(".caption.user .text").first).to_have_text(QUESTION, timeout=10_000)
        # Lingxi's reply plays; the interruption stops it and the server is told what was heard.
        page.wait_for_function("() => window.lingxiStats.truncates >= 1", timeout=15_000)
        expect(page.locator(".caption.user .text").nth(1)).to_have_text(INTERRUPTION,
                                                                         timeout=10_000)
        expect(page.locator(".caption.assistant .text").nth(1)).to_have_text(SHORT_REPLY,
                                                                             timeout=10_000)
        expect(call).to_have_attribute("data-state", "listening", timeout=5_000)
        seen = stats(page)
        screenshot(page, "call")

    # The spoken question reached the server as audio and became a committed user item.
    appended = server.client_events("input_audio_buffer.append")
    assert len(appended) > 100  # 20 ms chunks: several seconds of microphone audio
    committed = server.server_events("input_audio_buffer.committed")
    assert len(committed) == 2
    transcripts = [e["transcript"] for e in
                   server.server_events("conversation.item.input_audio_transcription.completed")]
    assert transcripts == [QUESTION, INTERRUPTION]

    # The page played the reply's audio, then stopped it and truncated the item.
    first_item = server.server_events("response.output_item.added")[0]["item"]["id"]
    truncates = server.client_events("conversation.item.truncate")
    assert [t["item_id"] for t in truncates] == [first_item]
    heard_ms = truncates[0]["audio_end_ms"]
    reply_ms = len(LONG_REPLY) * 80
    assert 300 < heard_ms < reply_ms, heard_ms
    assert seen["last_truncate"] == {"item_id": first_item, "audio_end_ms": heard_ms}
    assert seen["played_ms"] >= heard_ms + len(SHORT_REPLY) * 80 - 100
    assert seen["chunks"] > 10
    assert seen["flushes"] >= 1
    assert seen["ducks"] == 1  # the interruption turned the reply down before the server spoke
    assert seen["events"]["response.done"] == 2  # the cut reply and the answer to "等一下"

    _record_timings(server, seen)


def _record_timings(server: BrowserServer, seen: dict[str, Any]) -> None:
    """Printed and saved for the report; timing is measured here, never asserted."""
    started = server.recorder.of("server", "input_audio_buffer.speech_started")
    truncated = server.recorder.of("client", "conversation.item.truncate")
    round_trip_ms = (truncated[0].at - started[1].at) * 1000
    timings = {"page_speech_started_to_silent_ms": seen["barge_ins"],
               "page_local_voice_lead_ms": seen["duck_leads"],
               "server_speech_started_to_truncate_received_ms": round(round_trip_ms, 1),
               "underruns": seen["underruns"]}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps(timings, indent=1))
    print("barge-in timings:", timings)


def test_captions_keep_only_what_was_heard(context: BrowserContext, mic_track: MicTrack) -> None:
    with serving(mic_track.script, [LONG_REPLY, SHORT_REPLY]) as server:
        page = context.new_page()
        open_page(page, server)
        page.locator("#call").click()
        page.wait_for_function("() => window.lingxiStats.truncates >= 1", timeout=15_000)
        cut = page.locator(".caption.assistant.interrupted")
        expect(cut).to_have_count(1)
        heard = cut.locator(".text").inner_text()
        expect(cut).to_contain_text("被打断")
        page.get_by_role("button", name="挂断").click()
        expect(page.locator("#home")).to_be_visible()
    # Text is shown as it is spoken: a prefix of the reply, not all of it.
    assert heard and LONG_REPLY.startswith(heard) and len(heard) < len(LONG_REPLY), heard


def test_a_safety_notice_shows_the_hotline_card(
    context: BrowserContext, mic_track: MicTrack
) -> None:
    script: SpeechScript = mic_track.saying({QUESTION: "活着真没意思，我不想活了"})
    with serving(script, ["模型不该说这句。"]) as server:
        page = context.new_page()
        open_page(page, server)
        page.locator("#call").click()
        card = page.locator(".safety")
        expect(card).to_be_visible(timeout=10_000)
        expect(card).to_have_attribute("role", "alert")
        expect(card.locator(".line-number").first).to_have_text("12356")
        expect(card.locator("a.line-number").first).to_have_attribute("href", "tel:12356")
        screenshot(page, "safety")
    assert server.server_events("lingxi.safety.notice")
