"""Switching persona by voice mid-call: the call screen follows, and the next call keeps it."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import QUESTION, MicTrack
from tests.browser.server import serving


def test_asking_for_lin_daiyu_by_voice_changes_who_is_on_the_call(
        context: BrowserContext, mic_track: MicTrack) -> None:
    script = mic_track.saying({QUESTION: "换林黛玉来跟我说"})
    with serving(script, ["罢了，我来陪你说说话。", "嗯。"]) as server:
        page = context.new_page()
        page.goto(server.url + "?processing=off&turn=silence")
        expect(page.locator("#call-label")).not_to_contain_text("林黛玉")
        page.locator("#call").click()
        expect(page.locator("#call-name")).to_have_text("林黛玉", timeout=15_000)
        expect(page.locator(".caption.assistant .who").first).to_have_text("林黛玉")
        updates = [e for e in server.server_events("session.updated")
                   if (e["session"].get("lingxi") or {}).get("persona") == "lindaiyu"]
        assert updates, "the server did not switch the persona"
        page.locator("#hangup").click()
        expect(page.locator("#home")).to_be_visible()
        # Home now offers the persona the caller switched to.
        expect(page.locator('[data-persona="lindaiyu"]')).to_have_attribute("aria-checked", "true")
