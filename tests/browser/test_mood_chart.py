"""The mood chart on the page (issue 21): the caller's own days drawn (mood and energy, the
check-ins marked) at phone and desktop sizes, with screenshots; consent switched on and off
(off deletes); deleting empties the chart, the database rows and the live call's memory."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from lingxi.config import Settings
from lingxi.memory.db import make_engine, migrate
from lingxi.memory.schema import MoodDay
from lingxi.memory.service import run_in_thread
from lingxi.memory.store import MemoryStore
from lingxi.transport.keys import new_key
from tests.browser.conftest import MicTrack, screenshot
from tests.browser.server import serving
from tests.mood.test_mood_data import seed

USER = "anon-mood-test"


async def _seed(url: str, days: int) -> None:
    """`days` days of calls; from the middle on, lower and more tired (as a slide looks)."""
    store = MemoryStore(make_engine(url))
    try:
        await migrate(store.engine)
        await seed(store, USER, days)
        async with store.sessions.begin() as s:
            rows = (await s.scalars(select(MoodDay).order_by(MoodDay.day))).all()
            for n, row in enumerate(rows):
                slide = max(0, n - days // 2) / days
                row.valence = round(0.35 - 1.6 * slide + 0.15 * ((n * 7) % 3 - 1), 2)
                row.arousal = round(0.2 - 1.2 * slide - 0.1 * ((n * 5) % 3 - 1), 2)
    finally:
        await store.close()


async def _rows(url: str) -> int:
    from sqlalchemy import text

    store = MemoryStore(make_engine(url))
    try:
        async with store.engine.connect() as c:
            found = await c.execute(text("SELECT count(*) FROM moods"))
            return int(found.scalar() or 0)
    finally:
        await store.close()


def _open(page: Page, url: str) -> None:
    page.add_init_script(f"localStorage.setItem('lingxi.user', '{USER}')")
    page.goto(url)
    page.get_by_text("我的心情图").click()


def test_the_chart_shows_the_callers_days_and_check_ins(context: BrowserContext,
                                                        mic_track: MicTrack,
                                                        tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'lingxi.db'}"
    run_in_thread(lambda: _seed(url, 12))
    settings = Settings(duties=False, database_url=url, api_keys=[new_key()[1]])
    with serving(mic_track.script, ["好的。"], settings=settings) as server:
        page = context.new_page()
        _open(page, server.url)
        chart = page.locator("#mood-chart")
        expect(chart).to_have_attribute("data-days", "12")
        expect(page.locator("#mood-consent")).to_be_checked()
        expect(chart.locator("polyline.mood")).to_have_count(1)
        expect(chart.locator("polyline.energy")).to_have_count(1)
        expect(chart.locator("circle.dot.mood")).to_have_count(12)
        expect(chart.locator("path.checkin")).to_have_count(1)
        expect(page.locator("#mood-desc")).to_contain_text("12 天的心情记录")
        page.locator("#my-mood").scroll_into_view_if_needed()
        screenshot(page, "mood-chart")
        for width in (360, 1280):  # readable on a phone: the chart fits the screen
            page.set_viewport_size({"width": width, "height": 800})
            box = chart.bounding_box()
            assert box is not None and box["width"] <= width and box["height"] >= 100
        with page.expect_download() as downloading:
            page.get_by_role("button", name="导出心情 (CSV)").click()
        csv = Path(downloading.value.path()).read_text("utf-8").splitlines()
        assert csv[0].startswith("day,calls,turns,mood,energy") and len(csv) == 13


def test_consent_off_and_on_and_delete_from_the_page(context: BrowserContext,
                                                      mic_track: MicTrack,
                                                      tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'lingxi.db'}"
    run_in_thread(lambda: _seed(url, 4))
    settings = Settings(duties=False, database_url=url)
    with serving(mic_track.script, ["好的。"], settings=settings) as server:
        page = context.new_page()
        _open(page, server.url)
        expect(page.locator("#mood-chart")).to_have_attribute("data-days", "4")
        page.locator("#mood-consent").uncheck()  # off: stopped, and everything deleted
        expect(page.locator("#mood-status")).to_have_text("已停止，心情记录已删除。")
        expect(page.locator("#mood-chart")).to_have_attribute("data-days", "0")
        expect(page.locator("#mood-desc")).to_have_text("还没有心情记录。")
        assert run_in_thread(lambda: _rows(url)) == 0
        screenshot(page, "mood-chart-off")
        page.locator("#mood-consent").check()
        expect(page.locator("#mood-status")).to_have_text("已开始记录心情。")
        page.reload()
        page.get_by_text("我的心情图").click()
        expect(page.locator("#mood-consent")).to_be_checked()
    run_in_thread(lambda: _seed(url, 3))
    with serving(mic_track.script, ["好的。"], settings=settings) as server:
        page = context.new_page()
        _open(page, server.url)
        expect(page.locator("#mood-chart")).to_have_attribute("data-days", "3")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="删除心情记录").click()
        expect(page.locator("#mood-status")).to_have_text("心情记录已删除。")
        expect(page.locator("#mood-chart")).to_have_attribute("data-days", "0")
        expect(page.locator("#mood-consent")).to_be_checked()  # deleting is not saying no
    assert run_in_thread(lambda: _rows(url)) == 0
