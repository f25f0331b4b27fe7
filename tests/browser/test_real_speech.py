"""The call page with the real speech engines: silero VAD, Whisper and the local voice hear and
speak through the page (only the responder is scripted, so that the reply is long enough to be
interrupted). The microphone track is Lingxi's own Mandarin voice saying the conftest lines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, expect

from lingxi.config import Settings
from lingxi.engines.asr import build_asr
from lingxi.engines.fake import FakeResponder
from lingxi.engines.silero_vad import SileroVad
from lingxi.engines.tts import build_tts
from lingxi.interfaces import Engines, SpeechRecognizer, SpeechSynthesizer
from tests.browser.conftest import INTERRUPTION, QUESTION, MicTrack
from tests.browser.server import serving
from tests.browser.test_call_page import LONG_REPLY, SHORT_REPLY
from tests.speech.audio import error_rate

Speech = tuple[SileroVad, SpeechRecognizer, SpeechSynthesizer]


@pytest.fixture(scope="module")
def real_speech() -> Iterator[Speech]:
    settings = Settings()
    asr = build_asr(settings)
    yield SileroVad(), asr, build_tts(settings)
    close = getattr(asr, "close", None)
    if close is not None:
        close()


def test_real_engines_hear_the_caller_and_stop_when_interrupted(
    context: BrowserContext, mic_track: MicTrack, real_speech: Speech
) -> None:
    vad, asr, tts = real_speech

    def engines(responder: FakeResponder) -> Engines:
        return Engines(vad=vad, asr=asr, responder=responder, tts=tts)

    with serving(mic_track.script, [LONG_REPLY, SHORT_REPLY], speech=engines) as server:
        page = context.new_page()
        page.goto(server.url + "?processing=off&turn=silence")
        page.get_by_role("radio", name="中文").check()  # the recogniser listens for Mandarin
        page.locator("#call").click()
        captions = page.locator(".caption.user:not(.partial) .text")
        page.wait_for_function("() => window.lingxiStats.truncates >= 1", timeout=20_000)
        expect(captions).to_have_count(2, timeout=15_000)
        heard = captions.all_inner_texts()
        expect(page.locator(".caption.assistant .text").nth(1)).to_have_text(
            SHORT_REPLY, timeout=15_000)
        seen = page.evaluate("() => window.lingxiStats")
    print("Whisper heard:", heard, "barge-in:", seen["barge_ins"], "ms")
    transcripts = [e["transcript"] for e in
                   server.server_events("conversation.item.input_audio_transcription.completed")]
    assert transcripts == heard
    # The caller's words arrived through the page intact enough to be recognised: a bound over
    # both utterances (8 characters, at most 2 heard differently), not the words one CPU's
    # int8 decoding happens to produce.
    assert error_rate([QUESTION, INTERRUPTION], heard, "char") <= 0.25, heard
    truncates = server.client_events("conversation.item.truncate")
    assert len(truncates) == 1 and truncates[0]["audio_end_ms"] > 300
    assert seen["played_ms"] > truncates[0]["audio_end_ms"]
