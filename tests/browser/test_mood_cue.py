"""The mood cue on the call page: how the caller sounded in their last turn, shown quietly
under the call state, from the server's opt-in `lingxi.input.affect` events."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import QUESTION, MicTrack
from tests.browser.server import serving


@pytest.mark.parametrize(("words", "cue"), [
    ("我考上研究生了！", "听起来很开心"), (QUESTION, "听起来有点累")])
def test_the_page_shows_how_the_caller_sounded(
        context: BrowserContext, mic_track: MicTrack, words: str, cue: str) -> None:
    with serving(mic_track.saying({QUESTION: words}), ["嗯。"]) as server:
        page = context.new_page()
        page.goto(server.url + "?processing=off&turn=silence")
        page.locator("#call").click()
        expect(page.locator("#call-screen")).to_be_visible()
        expect(page.locator("#mood")).to_be_hidden()  # nothing before the caller has spoken
        expect(page.locator("#mood")).to_be_visible(timeout=15_000)
        expect(page.locator("#mood")).to_have_text(cue)
        assert server.server_events("lingxi.input.affect")
        page.locator("#hangup").click()
        expect(page.locator("#home")).to_be_visible()
