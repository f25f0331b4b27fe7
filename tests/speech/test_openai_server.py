"""The OpenAI-compatible transcription adapter against a real HTTP server on loopback."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import threading
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest

from lingxi.config import Settings
from lingxi.engines.asr import build_asr
from lingxi.engines.asr.openai_server import OpenAIRecognizer, TranscriptionServerError


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    fields: dict[str, str]
    wav_rate: int = 0
    wav_seconds: float = 0.0


@dataclass
class TranscriptionServer:
    """Answers like speaches/faster-whisper-server; records what each request carried."""

    reply: tuple[int, bytes] = (200, b'{"text": " \\u4f60\\u597d hello "}')
    requests: list[Received] = field(default_factory=list)
    port: int = 0

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.requests.append(parse(self.path, dict(self.headers), body))
                status, payload = server.reply
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def parse(path: str, headers: dict[str, str], body: bytes) -> Received:
    head = f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    received = Received(path, headers, {})
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        if part.get_filename():
            with wave.open(io.BytesIO(data)) as w:
                received.wav_rate = w.getframerate()
                received.wav_seconds = w.getnframes() / w.getframerate()
        else:
            received.fields[str(name)] = data.decode()
    return received


@pytest.fixture
def server() -> Iterator[TranscriptionServer]:
    state = TranscriptionServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


async def test_utterance_goes_as_wav_and_text_comes_back(server: TranscriptionServer) -> None:
    asr = build_asr(Settings(asr="openai", asr_url=f"http://127.0.0.1:{server.port}",
                             asr_model="Systran/faster-whisper-small", asr_api_key="sekret"))
    stream = asr.stream(language="zh", start_ms=0.0)
    for _ in range(3):
        stream.feed(np.full(8000, 1000, dtype=np.int16))
    assert await stream.finish() == "你好 hello"
    (request,) = server.requests
    assert request.path == "/v1/audio/transcriptions"
    assert request.headers["Authorization"] == "Bearer sekret"
    assert request.fields == {"model": "Systran/faster-whisper-small", "language": "zh",
                              "response_format": "json"}
    assert (request.wav_rate, request.wav_seconds) == (16000, 1.5)


async def test_base_url_ending_in_v1_and_no_language(server: TranscriptionServer) -> None:
    asr = OpenAIRecognizer(f"http://127.0.0.1:{server.port}/v1/")
    stream = asr.stream(language=None, start_ms=0.0)
    stream.feed(np.zeros(1600, dtype=np.int16))
    await stream.finish()
    assert server.requests[0].path == "/v1/audio/transcriptions"
    assert "language" not in server.requests[0].fields
    assert "Authorization" not in server.requests[0].headers


@pytest.mark.parametrize("reply, message", [
    ((500, b'{"error": "boom"}'), "HTTP 500"),
    ((200, b'{"segments": []}'), "no 'text'"),
    ((200, b"not json"), "no 'text'"),
    # More words than 0.1 s of speech could hold: refused, not post-processed.
    ((200, json.dumps({"text": "hello " * 200_000}).encode()), "characters for 0.1 s"),
])
async def test_bad_answers_raise_a_clear_error(
        server: TranscriptionServer, reply: tuple[int, bytes], message: str) -> None:
    server.reply = reply
    asr = OpenAIRecognizer(f"http://127.0.0.1:{server.port}")
    stream = asr.stream(language="en", start_ms=0.0)
    stream.feed(np.zeros(1600, dtype=np.int16))
    with pytest.raises(TranscriptionServerError, match=message):
        await stream.finish()


async def test_unreachable_server_raises_a_clear_error() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    asr = OpenAIRecognizer(f"http://127.0.0.1:{port}", timeout_s=2.0)
    stream = asr.stream(language="en", start_ms=0.0)
    with pytest.raises(TranscriptionServerError, match="unreachable"):
        await stream.finish()


def test_openai_without_url_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="asr_url"):
        build_asr(Settings(asr="openai"))
