"""The OpenAI-compatible speech adapter against a real HTTP server on loopback."""

from __future__ import annotations

import json
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest

from lingxi.audio import Pcm
from lingxi.config import Settings
from lingxi.engines.tts import build_tts
from lingxi.engines.tts.openai_speech import OpenAISpeech, SpeechServerError
from lingxi.interfaces import Voice
from tests.tts.audio_checks import median_f0, rms, speak


def tone(rate: int, seconds: float, hz: float = 200.0) -> Pcm:
    t = np.arange(int(rate * seconds)) / rate
    # A buzzy tone (harmonics) so WORLD can track its pitch like a voice.
    wave = sum(np.sin(2 * np.pi * hz * k * t) / k for k in range(1, 8))
    return np.asarray(0.3 * wave / np.max(np.abs(wave)) * 32767, np.int16)


@dataclass
class SpeechServer:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    status: int = 200
    wav_rate: int = 16000
    broken: str | None = None  # "html": an error page with 200; "bytes": no WAV at all


@pytest.fixture
def server() -> Iterator[SpeechServer]:
    state = SpeechServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append(body)
            state.headers.append(dict(self.headers))
            if self.path != "/v1/audio/speech" or state.status != 200:
                self.send_response(state.status if self.path == "/v1/audio/speech" else 404)
                self.end_headers()
                self.wfile.write(b'{"error": "no such voice"}')
                return
            if state.broken is not None:
                html = state.broken == "html"
                self.send_response(200)
                self.send_header("Content-Type", "text/html" if html else "audio/wav")
                self.end_headers()
                self.wfile.write(b"<html><body>Bad gateway</body></html>" if html
                                 else np.random.default_rng(1).bytes(48000))
                return
            wav = body["response_format"] == "wav"
            pcm = tone(state.wav_rate if wav else 24000, 1.0).tobytes()
            if wav:  # streamed WAV: placeholder lengths, as streaming servers send
                pcm = (b"RIFF\xff\xff\xff\xffWAVEfmt " + struct.pack(
                    "<IHHIIHH", 16, 1, 1, state.wav_rate, state.wav_rate * 2, 2, 16)
                    + b"data\xff\xff\xff\xff" + pcm)
            self.send_response(200)
            self.send_header("Content-Type", "audio/wav" if wav else "audio/pcm")
            self.end_headers()
            for i in range(0, len(pcm), 4001):  # odd-sized pieces split samples
                self.wfile.write(pcm[i : i + 4001])
                self.wfile.flush()
                time.sleep(0.01)  # let the client see a stream, not one burst

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


async def test_pcm_streams_back_unchanged_with_the_request_as_openai_specifies(
        server: SpeechServer) -> None:
    tts = build_tts(Settings(tts="openai", tts_url=server.url, tts_model="kokoro",
                             tts_voice="af_bella", tts_api_key="sk-test"))
    chunks = await speak(tts, "Hello there", Voice("auto", speed=1.2))
    assert len(chunks) > 1  # streamed, not collected
    assert np.array_equal(np.concatenate(chunks), tone(24000, 1.0))
    assert server.requests == [{"model": "kokoro", "voice": "af_bella", "input": "Hello there",
                                "response_format": "pcm", "speed": 1.2}]
    assert server.headers[0]["Authorization"] == "Bearer sk-test"


async def test_wav_at_another_rate_is_resampled_to_the_output_rate(
        server: SpeechServer) -> None:
    tts = OpenAISpeech(server.url + "/v1", response_format="wav")
    pcm = np.concatenate(await speak(tts, "hi", Voice("nova")))
    assert len(pcm) == pytest.approx(24000, abs=50)
    assert median_f0(pcm, 24000) == pytest.approx(200.0, rel=0.05)
    assert server.requests[0]["voice"] == "nova"  # no configured voice: the session's


async def test_volume_pitch_and_whisper_apply_to_server_audio(server: SpeechServer) -> None:
    tts = OpenAISpeech(server.url)
    plain = np.concatenate(await speak(tts, "hi", Voice()))
    soft = np.concatenate(await speak(tts, "hi", Voice(volume=0.5)))
    up = np.concatenate(await speak(tts, "hi", Voice(pitch=12.0)))
    assert rms(soft) / rms(plain) == pytest.approx(0.5, rel=0.02)
    assert median_f0(up, 24000) == pytest.approx(400.0, rel=0.08)
    assert server.requests[0]["voice"] == "alloy"  # local voice names mean "your default"


async def test_server_errors_are_clear(server: SpeechServer) -> None:
    server.status = 400
    with pytest.raises(SpeechServerError, match=r"answered 400: .*no such voice"):
        await speak(OpenAISpeech(server.url), "hi", Voice())


async def test_unreachable_server_is_a_clear_error(server: SpeechServer) -> None:
    with pytest.raises(SpeechServerError, match=r"127\.0\.0\.1:9"):
        await speak(OpenAISpeech("http://127.0.0.1:9", timeout_s=2.0), "hi", Voice())


def test_openai_without_url_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="tts_url"):
        build_tts(Settings(tts="openai"))


@pytest.mark.parametrize("broken, message", [("html", "text/html, not audio"),
                                             ("bytes", "not a WAV file")])
async def test_a_server_sending_no_audio_is_an_error_not_noise(
        server: SpeechServer, broken: str, message: str) -> None:
    server.broken = broken
    tts = OpenAISpeech(server.url, response_format="wav")
    with pytest.raises(SpeechServerError, match=message):
        await speak(tts, "Hello", Voice("auto"))


async def test_a_failing_speech_server_is_replaced_by_espeak_with_an_apology(
        server: SpeechServer) -> None:
    server.status = 500
    tts = build_tts(Settings(tts="openai", tts_url=server.url))
    first = np.concatenate(await speak(tts, "我在这里陪着你。", Voice("auto")))
    second = np.concatenate(await speak(tts, "我在这里陪着你。", Voice("auto")))
    assert len(server.requests) == 1  # the server is left alone for a while
    assert rms(first) > 0.01 and rms(second) > 0.01  # the caller hears words both times
    assert len(first) > 2 * len(second)  # the first time, the apology comes first
