"""The home screen: persona picker, language preference, and what a call is set up with."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import BrowserContext, expect

from lingxi.config import Settings
from lingxi.memory.service import run_in_thread
from lingxi.transport.keys import new_key
from tests.browser.conftest import MicTrack, screenshot
from tests.browser.server import serving
from tests.memory.test_privacy import seed


def test_the_chosen_persona_and_language_set_up_the_call(context: BrowserContext,
                                                        mic_track: MicTrack) -> None:
    with serving(mic_track.script, ["好的。"]) as server:
        page = context.new_page()
        page.goto(server.url)  # the personas come from the server's GET /v1/personas
        cards = page.get_by_role("radiogroup", name="选一个陪你聊天的人").get_by_role("radio")
        expect(cards).to_have_count(6)
        wukong = page.locator('.persona[data-persona="sunwukong"]')
        expect(wukong).to_contain_text("俺老孙来也")
        expect(wukong).to_contain_text("齐天大圣")
        # The server's default answers unless the caller picks someone else.
        expect(page.locator('.persona[aria-checked="true"]')).to_have_attribute(
            "data-persona", "companion")
        screenshot(page, "home")
        # Keyboard: focus the chosen card, arrow to the next one.
        page.locator('.persona[aria-checked="true"]').focus()
        page.keyboard.press("ArrowDown")
        expect(page.locator('.persona[aria-checked="true"]')).to_contain_text("孙悟空")
        expect(page.locator('.persona[aria-checked="true"]')).to_be_focused()
        # English: the page speaks English at once.
        page.get_by_role("radio", name="English").check()
        expect(wukong).to_contain_text("Sun Wukong")  # the list again, in English
        call = page.get_by_role("button", name="Call Sun Wukong")
        expect(call).to_be_visible()
        call.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#call-name")).to_have_text("Sun Wukong")
        expect(page.locator("#call-state")).to_have_text("Listening", timeout=10_000)
        page.wait_for_function("() => window.lingxiStats.events['session.updated'] >= 1")
        user = page.evaluate("() => localStorage.getItem('lingxi.user')")
        page.get_by_role("button", name="Hang up").click()
        expect(page.locator("#home")).to_be_visible()
        expect(page.get_by_role("button", name="Call Sun Wukong")).to_be_focused()

        # A reload remembers the choices and the anonymous caller.
        page.reload()
        expect(page.locator('.persona[aria-checked="true"]')).to_contain_text("Sun Wukong")
        expect(page.locator('input[value="en"]')).to_be_checked()
        assert page.evaluate("() => localStorage.getItem('lingxi.user')") == user

    update = server.client_events("session.update")[0]["session"]
    # The server cuts interrupted replies by its playback estimate (the page's own truncate,
    # from what it played, refines that).
    assert update["lingxi"] == {"persona": "sunwukong", "language": "en", "user": user,
                                "events": True, "server_truncation": True}
    assert update["audio"]["input"]["format"] == {"type": "audio/pcm", "rate": 24000}
    # The caller's words decide when a turn ends: a pause mid-sentence is not the end.
    assert update["audio"]["input"]["turn_detection"]["type"] == "semantic_vad"
    assert user.startswith("anon-")
    updated = server.server_events("session.updated")[0]["session"]
    assert updated["lingxi"]["persona"] == "sunwukong"
    assert updated["lingxi"]["language"] == "en"


def test_with_api_keys_the_page_calls_with_its_own_secret(context: BrowserContext,
                                                          mic_track: MicTrack) -> None:
    settings = Settings(duties=False, api_keys=[new_key()[1]])
    with serving(mic_track.script, ["好的。"], settings=settings) as server:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        response = page.goto(server.url)
        assert response is not None
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        page.get_by_role("button", name="打给灵犀").click()
        expect(page.locator("#call-state")).to_have_text("在听", timeout=10_000)
        page.wait_for_function("() => window.lingxiStats.events['session.updated'] >= 1")
        user = page.evaluate("() => localStorage.getItem('lingxi.user')")
        page.get_by_role("button", name="挂断").click()
    # The page runs under its content security policy without a single violation.
    assert [m for m in console if "Content Security Policy" in m] == []
    updated = server.server_events("session.updated")[0]["session"]
    assert updated["lingxi"]["user"] == user and user.startswith("anon-")
    assert server.server_events("error") == []


def test_my_data_downloads_and_deletes_everything_kept(context: BrowserContext,
                                                       mic_track: MicTrack,
                                                       tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'lingxi.db'}"
    # An earlier call of this browser's caller (in a thread: Playwright's loop runs here).
    run_in_thread(lambda: seed(url, "anon-page-test"))
    settings = Settings(duties=False, database_url=url, api_keys=[new_key()[1]])
    with serving(mic_track.script, ["好的。"], settings=settings) as server:
        page = context.new_page()
        page.add_init_script("localStorage.setItem('lingxi.user', 'anon-page-test')")
        page.goto(server.url)
        page.get_by_text("我的记录").click()
        with page.expect_download() as downloading:
            page.get_by_role("button", name="导出").click()
        kept = json.loads(Path(downloading.value.path()).read_text("utf-8"))
        assert kept["user"]["id"] == "anon-page-test"
        assert "我叫小王，我今天误机了" in [t["text"] for t in kept["turns"]]
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="全部删除").click()
        expect(page.locator("#data-status")).to_have_text("已全部删除。")
        page.get_by_role("button", name="导出").click()
        expect(page.locator("#data-status")).to_have_text("还没有关于你的记录。")
