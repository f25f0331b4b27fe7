"""The call page in headless Chromium: how fast it goes quiet when the caller interrupts.

Runs N calls of the browser tests' scenario (a spoken question, Lingxi's reply, an
interruption in the middle of it) against a real server, with the fake speech engines or
(`--real`) silero VAD, Whisper and the local voice (the reply text is scripted either way),
and prints p50/p95 of:
- page: `speech_started` received → the playback worklet confirms silence (the flush);
- server: `speech_started` sent → the page's `conversation.item.truncate` received;
- page: `input_audio_buffer.committed` received → the reply audible (jitter pre-roll included);
- page: how much sooner local voice activity turned the reply down than `speech_started` came.
Audio device latency (output buffer) comes on top of the page numbers and is not measurable
headless.

    .venv/bin/python bench/bench_page.py --calls 5 [--real]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, make_track
from tests.browser.server import BrowserServer, serving
from tests.browser.test_call_page import LONG_REPLY, SHORT_REPLY

from lingxi.config import Settings
from lingxi.engines.asr import build_asr
from lingxi.engines.fake import FakeResponder
from lingxi.engines.silero_vad import SileroVad
from lingxi.engines.tts import build_tts
from lingxi.interfaces import Engines


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def one_call(browser: Any, server: BrowserServer) -> dict[str, list[float]]:
    ctx = browser.new_context(permissions=["microphone"])
    try:
        page = ctx.new_page()
        page.goto(server.url + "?processing=off")
        page.get_by_role("radio", name="中文").check()  # the recogniser listens for Mandarin
        before = len(server.recorder.of("server", "input_audio_buffer.speech_started"))
        page.locator("#call").click()
        page.wait_for_function("() => window.lingxiStats && window.lingxiStats.truncates >= 1",
                               timeout=20_000)
        page.wait_for_function("() => window.lingxiStats.reply_starts.length >= 2",
                               timeout=20_000)
        stats: dict[str, Any] = page.evaluate("() => window.lingxiStats")
    finally:
        ctx.close()
    started = server.recorder.of("server", "input_audio_buffer.speech_started")[before:]
    truncate = server.recorder.of("client", "conversation.item.truncate")[-1]
    return {"page_stop_ms": stats["barge_ins"],
            "server_round_trip_ms": [(truncate.at - started[1].at) * 1000],
            "reply_audible_ms": stats["reply_starts"],
            "local_voice_lead_ms": stats["duck_leads"]}


def real_speech() -> Callable[[FakeResponder], Engines]:
    settings = Settings()
    vad, asr, tts = SileroVad(), build_asr(settings), build_tts(settings)

    def speech(responder: FakeResponder) -> Engines:
        return Engines(vad=vad, asr=asr, responder=responder, tts=tts)

    return speech


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--real", action="store_true", help="real speech engines")
    args = parser.parse_args()
    speech = real_speech() if args.real else None

    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        track = make_track(Path(tmp))
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            *LAUNCH_ARGS, f"--use-file-for-fake-audio-capture={track.path}%noloop"])
        try:
            for _ in range(args.calls):
                with serving(track.script, [LONG_REPLY, SHORT_REPLY], speech=speech) as server:
                    for key, values in one_call(browser, server).items():
                        results.setdefault(key, []).extend(values)
        finally:
            browser.close()
    print(f"{'measure':<24}{'n':>4}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for key, values in results.items():
        print(f"{key:<24}{len(values):>4}{pct(values, 0.5):>10.1f}{pct(values, 0.95):>10.1f}"
              f"{statistics.fmean(values):>10.1f}")


if __name__ == "__main__":
    main()
