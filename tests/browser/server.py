"""A real Lingxi server for the browser tests, with a recorder of what crossed the WebSocket.

The app is the real one (`create_app`) served by uvicorn on a loopback port, in its own thread
and event loop. Its engines are the named fakes for now: the recogniser's oracle is the same
:class:`SpeechScript` the fake microphone plays, so the transcripts are known. The recorder is
a plain ASGI wrapper: it sees every client and server event as it crosses the socket (audio
payloads reduced to their length), so a test can check what the page really sent.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS, SpeechScript
from lingxi.interfaces import Engines
from lingxi.transport.app import create_app
from tests.e2e.conftest import ServerThread

_PAYLOAD_KEYS = ("audio", "delta")


@dataclass(frozen=True, slots=True)
class Seen:
    at: float  # time.monotonic() when it crossed the socket
    event: dict[str, Any]

    @property
    def type(self) -> str:
        return str(self.event.get("type", ""))


@dataclass
class Recorder:
    """Wraps the app; keeps every event in both directions (appended from the server thread)."""

    app: ASGIApp
    client: list[Seen] = field(default_factory=list)
    server: list[Seen] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return

        async def receive_recorded() -> Message:
            message = await receive()
            if message["type"] == "websocket.receive" and message.get("text"):
                self._keep(self.client, message["text"])
            return message

        async def send_recorded(message: Message) -> None:
            if message["type"] == "websocket.send" and message.get("text"):
                self._keep(self.server, message["text"])
            await send(message)

        await self.app(scope, receive_recorded, send_recorded)

    @staticmethod
    def _keep(into: list[Seen], text: str) -> None:
        try:
            event = json.loads(text)
        except ValueError:
            return
        if not isinstance(event, dict):
            return
        event = dict(event)  # a copy; the original text already went out / came in
        for key in _PAYLOAD_KEYS:
            value = event.get(key)
            if isinstance(value, str) and event.get("type", "").endswith(
                    ("append", "audio.delta")):
                event[key] = len(value)
        into.append(Seen(time.monotonic(), event))

    def of(self, side: str, event_type: str) -> list[Seen]:
        events = self.client if side == "client" else self.server
        return [s for s in list(events) if s.type == event_type]


@dataclass
class BrowserServer:
    port: int
    recorder: Recorder
    responder: FakeResponder

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def client_events(self, event_type: str) -> list[dict[str, Any]]:
        return [s.event for s in self.recorder.of("client", event_type)]

    def server_events(self, event_type: str) -> list[dict[str, Any]]:
        return [s.event for s in self.recorder.of("server", event_type)]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(script: SpeechScript, replies: Sequence[str], *, port: int = 0,
            settings: Settings | None = None,
            voice_realtime_factor: float = 0.0,
            speech: Callable[[FakeResponder], Engines] | None = None) -> Iterator[BrowserServer]:
    """Run the app on `port` (0: one the OS picks) until the block ends.

    The responder always says `replies`; the speech engines are the fakes (the recogniser
    hears `script`; `voice_realtime_factor` > 1 makes the voice slower than real time) unless
    `speech` builds others around the responder.
    """
    clock = MonotonicClock()
    responder = FakeResponder(clock, replies=list(replies))
    engines = speech(responder) if speech is not None else Engines(
        vad=EnergyVad(), asr=FakeASR(clock, script), responder=responder,
        tts=FakeTTS(clock, ms_per_char=80, realtime_factor=voice_realtime_factor))
    recorder = Recorder(create_app(settings or Settings(duties=False), engines=engines,
                                   clock=clock))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    thread = ServerThread(recorder, sock)
    try:
        thread.start()
        yield BrowserServer(int(sock.getsockname()[1]), recorder, responder)
    finally:
        thread.stop()
        sock.close()
