"""One headless Debian Chromium per test session, its microphone fed from a WAV made here.

Chromium is Debian's (`scripts/install.sh --test` installs it); Playwright only drives it —
`playwright install` is never run. The fake microphone plays `mic.wav` from its start each time
the page opens the microphone (`%noloop`: once, then silence). The WAV is spoken by Lingxi's own
Mandarin voice (the local TTS; espeak-ng's Mandarin is not recognisable enough for Whisper): a
question, a pause for Lingxi's reply, and an interruption in the middle of that reply. The same
timeline, as a :class:`SpeechScript`, is the fake recogniser's oracle; the real recogniser
hears the words themselves.
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soxr
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from lingxi.engines.fake import SpeechScript
from lingxi.engines.tts.local import OUTPUT_RATE, LocalTTS
from lingxi.engines.tts.segments import Piece
from lingxi.interfaces import Voice

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
MIC_RATE = 48_000
QUESTION = "今天好累啊"
INTERRUPTION = "等一下"
QUESTION_AT_S = 1.0
# Lingxi's first reply starts ~0.6 s after the question ends (later with real engines); the
# interruption lands ~1.9 s into it (the reply is 3.4 s long at the fake voice's 80 ms per
# character).
INTERRUPTION_AFTER_QUESTION_S = 2.5
TRACK_S = 9.0
LAUNCH_ARGS = [
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-sync", "--disable-quic",
    # Keep Chromium off the (closed) network: nothing resolves except loopback.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


@dataclass(frozen=True)
class MicTrack:
    path: Path
    script: SpeechScript  # what is said when, in seconds of the track

    def said(self, text: str) -> tuple[float, float]:
        u = next(u for u in self.script.utterances if u.text == text)
        return u.start_s, u.end_s

    def saying(self, replacements: dict[str, str]) -> SpeechScript:
        """The same timeline with other words (for a fake recogniser that hears them)."""
        script = SpeechScript()
        for u in self.script.utterances:
            script.say(u.start_s, u.end_s, replacements.get(u.text, u.text))
        return script


def speak(tts: LocalTTS, text: str) -> np.ndarray:
    """Lingxi's Mandarin voice as float samples at MIC_RATE, silent edges trimmed."""
    pcm = tts.render(Piece("zh", text, 0.0), Voice("zh")).astype(np.float32) / 32768
    audio = np.asarray(soxr.resample(pcm, OUTPUT_RATE, MIC_RATE), dtype=np.float32)
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[int(loud[0]) : int(loud[-1]) + 1] if len(loud) else audio


def make_track(folder: Path) -> MicTrack:
    track = np.zeros(int(TRACK_S * MIC_RATE), np.float32)
    script = SpeechScript()
    tts = LocalTTS.load()
    question = speak(tts, QUESTION)
    interruption_at = QUESTION_AT_S + len(question) / MIC_RATE + INTERRUPTION_AFTER_QUESTION_S
    interruption = speak(tts, INTERRUPTION)
    for at, text, audio in ((QUESTION_AT_S, QUESTION, question),
                            (interruption_at, INTERRUPTION, interruption)):
        start = int(at * MIC_RATE)
        track[start : start + len(audio)] = audio
        script.say(at, at + len(audio) / MIC_RATE, text)
    path = folder / "mic.wav"
    with wave.open(str(path), "wb") as w:  # 16-bit PCM: Chromium reads 24-bit as silence
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(MIC_RATE)
        w.writeframes((np.clip(track, -1, 1) * 32767).astype("<i2").tobytes())
    return MicTrack(path, script)


@pytest.fixture(scope="package")
def mic_track(tmp_path_factory: pytest.TempPathFactory) -> MicTrack:
    return make_track(tmp_path_factory.mktemp("mic"))


@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Playwright]:
    # Package scope, not session: Playwright's sync API keeps an event loop marked as running
    # in the main thread until it closes, and the asyncio tests after this folder need it gone.
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright, mic_track: MicTrack) -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: run scripts/install.sh --test"
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[*LAUNCH_ARGS, f"--use-file-for-fake-audio-capture={mic_track.path}%noloop"])
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile (own localStorage) that may use the microphone; Chinese UI."""
    ctx = browser.new_context(permissions=["microphone"], locale="zh-CN",
                              viewport={"width": 360, "height": 740})
    yield ctx
    ctx.close()


def screenshot(page: Page, name: str) -> None:
    """Save the page at phone (360×740) and desktop (1280×800) sizes for a reviewer."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    for width, height in ((360, 740), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))
    if before is not None:
        page.set_viewport_size(before)
