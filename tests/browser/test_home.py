"""The home screen: persona picker, language preference, and what a call is set up with."""

from __future__ import annotations

import json

from playwright.sync_api import BrowserContext, Route, expect

from tests.browser.conftest import MicTrack, screenshot
from tests.browser.server import serving

PERSONAS = {"personas": [
    {"id": "lingxi", "name": "灵犀", "description": "温柔、耐心的陪伴", "greeting": "嗨，我在呢。",
     "colour": "#ff7aa2", "language": "zh"},
    {"id": "wukong", "name": "孙悟空", "description": "齐天大圣，说话豪爽",
     "greeting": "俺老孙来也！", "colour": "#f5a524", "language": "zh"},
]}


def personas(route: Route) -> None:
    route.fulfill(status=200, content_type="application/json",
                  body=json.dumps(PERSONAS, ensure_ascii=False))


def test_the_chosen_persona_and_language_set_up_the_call(context: BrowserContext,
                                                        mic_track: MicTrack) -> None:
    with serving(mic_track.script, ["好的。"]) as server:
        page = context.new_page()
        page.route("**/v1/personas", personas)
        page.goto(server.url)
        cards = page.get_by_role("radiogroup", name="选一个陪你聊天的人").get_by_role("radio")
        expect(cards).to_have_count(2)
        expect(page.locator(".persona").nth(1)).to_contain_text("俺老孙来也！")
        expect(page.locator(".persona").nth(1)).to_contain_text("齐天大圣")
        screenshot(page, "home")
        # Keyboard: focus the chosen card, arrow to the next one.
        page.locator('.persona[aria-checked="true"]').focus()
        page.keyboard.press("ArrowDown")
        expect(page.locator('.persona[aria-checked="true"]')).to_contain_text("孙悟空")
        expect(page.locator('.persona[aria-checked="true"]')).to_be_focused()
        # English: the page speaks English at once.
        page.get_by_role("radio", name="English").check()
        call = page.get_by_role("button", name="Call 孙悟空")
        expect(call).to_be_visible()
        call.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#call-name")).to_have_text("孙悟空")
        expect(page.locator("#call-state")).to_have_text("Listening", timeout=10_000)
        page.wait_for_function("() => window.lingxiStats.events['session.updated'] >= 1")
        user = page.evaluate("() => localStorage.getItem('lingxi.user')")
        page.get_by_role("button", name="Hang up").click()
        expect(page.locator("#home")).to_be_visible()
        expect(page.get_by_role("button", name="Call 孙悟空")).to_be_focused()

        # A reload remembers the choices and the anonymous caller.
        page.reload()
        expect(page.locator('.persona[aria-checked="true"]')).to_contain_text("孙悟空")
        expect(page.locator('input[value="en"]')).to_be_checked()
        assert page.evaluate("() => localStorage.getItem('lingxi.user')") == user

    update = server.client_events("session.update")[0]["session"]
    assert update["lingxi"] == {"persona": "wukong", "language": "en", "user": user,
                                "events": True}
    assert update["audio"]["input"]["format"] == {"type": "audio/pcm", "rate": 24000}
    assert user.startswith("anon-")
    updated = server.server_events("session.updated")[0]["session"]
    assert updated["lingxi"]["persona"] == "wukong"
    assert updated["lingxi"]["language"] == "en"
