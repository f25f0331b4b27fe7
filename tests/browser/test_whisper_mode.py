"""Whisper mode on the call page: asked for by voice, the call screen says Lingxi whispers."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import QUESTION, MicTrack
from tests.browser.server import serving


def test_asking_for_a_whisper_by_voice_shows_the_mode(
        context: BrowserContext, mic_track: MicTrack) -> None:
    script = mic_track.saying({QUESTION: "小声跟我说句悄悄话"})
    with serving(script, ["嗯。"]) as server:
        page = context.new_page()
        page.goto(server.url + "?processing=off&turn=silence")
        page.locator("#call").click()
        expect(page.locator("#call-screen")).to_be_visible()
        expect(page.locator("#voice-mode")).to_be_hidden()
        expect(page.locator("#voice-mode")).to_be_visible(timeout=15_000)
        expect(page.locator("#voice-mode")).to_have_text("悄悄话模式")
        styles = [(e["session"].get("lingxi") or {}).get("style")
                  for e in server.server_events("session.updated")]
        assert "whisper" in styles
        page.locator("#hangup").click()
        expect(page.locator("#home")).to_be_visible()
