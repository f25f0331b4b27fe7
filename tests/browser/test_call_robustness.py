"""The call page when things go wrong: no microphone, the server gone, the call ended by voice."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser.conftest import INTERRUPTION, QUESTION, MicTrack
from tests.browser.server import free_port, serving


def test_microphone_denied_says_so_and_retry_works(browser: Browser, mic_track: MicTrack) -> None:
    with serving(mic_track.script, ["好的。"]) as server:
        ctx = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
        try:
            page = ctx.new_page()
            page.goto(server.url + "?processing=off&turn=silence")
            page.get_by_role("button", name="Call Lingxi").click()
            alert = page.get_by_role("alert")
            expect(alert).to_contain_text("microphone access was denied")
            expect(page.locator("#home")).to_be_visible()
            retry = page.get_by_role("button", name="Try again")
            expect(retry).to_be_focused()
            assert not server.client_events("session.update")  # no call without a microphone

            ctx.grant_permissions(["microphone"])
            retry.click()
            expect(page.locator("#call-screen")).to_be_visible()
            expect(page.locator("#call-state")).to_have_text("Listening", timeout=10_000)
            expect(page.locator("#mic-error")).to_be_hidden()
        finally:
            ctx.close()
    assert len(server.client_events("session.update")) == 1


def test_a_dropped_server_is_reconnected_with_notice(context: BrowserContext,
                                                     mic_track: MicTrack) -> None:
    port = free_port()
    page = context.new_page()
    with serving(mic_track.script, ["好的。"], port=port) as server:
        page.goto(server.url + "?processing=off&turn=silence")
        page.locator("#call").click()
        expect(page.locator("#call-state")).to_have_text("在听", timeout=10_000)
    # The server is gone: the page says it is reconnecting and keeps trying.
    status = page.locator("#conn-status")
    expect(status).to_be_visible(timeout=5_000)
    expect(status).to_contain_text(re.compile("重连|重新连接"))
    expect(page.locator("#call-state")).to_have_text("正在接通…")
    with serving(mic_track.script, ["好的。"], port=port) as again:
        expect(status).to_have_text("已重新接通", timeout=15_000)
        expect(page.locator("#call-state")).to_have_text("在听")
        assert page.evaluate("() => window.lingxiStats.connects") == 2
        assert len(again.client_events("session.update")) == 1  # the session is set up again


def test_saying_hang_up_ends_the_call(context: BrowserContext, mic_track: MicTrack) -> None:
    # A short answer to the question, then "hang up" where the track's second utterance is.
    script = mic_track.saying({QUESTION: "你好", INTERRUPTION: "挂了吧"})
    with serving(script, ["嗯。"]) as server:
        page = context.new_page()
        page.goto(server.url + "?processing=off&turn=silence")
        page.locator("#call").click()
        expect(page.locator("#home")).to_be_visible(timeout=15_000)
        expect(page.locator("#home-status")).to_have_text("通话已结束")
        assert page.evaluate("() => window.lingxiStats.connects") == 1
        assert page.evaluate("() => window.lingxiStats.played_ms") > 500  # the goodbye was heard


def test_muted_the_server_hears_silence(context: BrowserContext, mic_track: MicTrack) -> None:
    question_ends = mic_track.said(QUESTION)[1]
    with serving(mic_track.script, ["好的。"]) as server:
        page = context.new_page()
        page.goto(server.url + "?processing=off&turn=silence")
        page.locator("#call").click()
        mute = page.get_by_role("button", name="静音")
        mute.click()  # at once, before the question is spoken
        expect(mute).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_role("button", name="取消静音")).to_be_visible()
        page.wait_for_function(f"() => window.lingxiStats.sent_ms > {question_ends * 1000 + 800}")
    assert server.client_events("input_audio_buffer.append")  # the line stays open
    assert not server.server_events("input_audio_buffer.speech_started")
    assert not server.server_events("input_audio_buffer.committed")


def test_a_voice_slower_than_real_time_still_plays_to_the_end(context: BrowserContext,
                                                              mic_track: MicTrack) -> None:
    reply = "好的，你说。"  # 480 ms of audio made in 720 ms; over before the interruption
    with serving(mic_track.script, [reply, "嗯。"], voice_realtime_factor=1.5) as server:
        page = context.new_page()
        page.goto(server.url + "?processing=off&turn=silence")
        page.locator("#call").click()
        caption = page.locator(".caption.assistant .text").first
        expect(caption).to_have_text(reply, timeout=10_000)
        expect(page.locator("#call-screen")).to_have_attribute("data-state", "listening")
        seen = page.evaluate("() => window.lingxiStats")
    assert seen["underruns"] >= 1  # the jitter buffer ran dry and waited for more
    assert seen["played_ms"] >= len(reply) * 80 - 50  # yet every bit of it was played
    assert not seen["truncates"]

