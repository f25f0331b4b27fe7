"""A real Lingxi server (uvicorn, real time, fake engines) for end-to-end tests with real clients.

The server runs in its own thread with its own event loop, as a separate process would, on a
port the OS picked. Its engines are built explicitly from what the test passes: the ASR's oracle
is the same :class:`SpeechScript` the test streams as audio (so the transcripts are known), and
the responder says known text (FakeTTS speaks 80 ms per character, so a reply of 40+ characters
lasts long enough for a barge-in to land in the middle of it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp

from lingxi.audio import Pcm
from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS, SpeechScript
from lingxi.interfaces import Engines, Voice
from lingxi.transport.app import create_app

WIRE_RATE = 24_000


@dataclass
class LingxiServer:
    port: int
    script: SpeechScript
    replies: Sequence[str]
    responder: FakeResponder
    # ERROR records the server logged (it logs failures and carries on rather than crashing).
    errors: list[logging.LogRecord] = field(default_factory=list)

    @property
    def ws_base(self) -> str:
        """What `AsyncOpenAI(websocket_base_url=...)` takes: the SDK appends `/realtime`."""
        return f"ws://127.0.0.1:{self.port}/v1"

    def realtime_url(self, model: str) -> str:
        return f"{self.ws_base}/realtime?model={model}"

    def user_audio(self, duration_s: float) -> bytes:
        """The scripted speech as wire audio: PCM16 little-endian, 24 kHz, mono."""
        return self.script.render(WIRE_RATE, duration_s).astype("<i2").tobytes()


ServerFactory = Callable[[SpeechScript, Sequence[str]], LingxiServer]


class _ErrorLog(logging.Handler):
    def __init__(self, into: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self._into = into

    def emit(self, record: logging.LogRecord) -> None:
        self._into.append(record)


class ServerThread:
    """An ASGI app served by uvicorn in a thread of its own, on a socket already bound."""

    def __init__(self, app: ASGIApp, sock: socket.socket) -> None:
        config = uvicorn.Config(app, log_level="warning", lifespan="off",
                                ws_max_size=64 * 1024 * 1024, timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self._sock = sock
        self.failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="lingxi-e2e-server", daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self.server.serve(sockets=[self._sock]))
        except BaseException as exc:  # surfaced by start() / stop()
            self.failure = exc

    def start(self, timeout_s: float = 10.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if self.failure is not None or not self._thread.is_alive():
                raise RuntimeError(f"the server did not start: {self.failure!r}")
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start in time")
            time.sleep(0.01)
        # It says it started: check it really accepts connections.
        host, port = self._sock.getsockname()[:2]
        with socket.create_connection((host, port), timeout=timeout_s):
            pass

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
        assert not self._thread.is_alive(), "the server did not shut down within 10 s"
        if self.failure is not None:
            raise self.failure


@contextlib.contextmanager
def serve_app(app: Starlette, errors: list[logging.LogRecord]) -> Iterator[int]:
    """Serve `app` on a free loopback port until the block ends; yields the port. ERROR
    records logged meanwhile are collected into `errors`."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    handler = _ErrorLog(errors)
    lingxi_log = logging.getLogger("lingxi")
    lingxi_log.addHandler(handler)
    thread = ServerThread(app, sock)
    try:
        thread.start()
        yield int(sock.getsockname()[1])
    finally:
        lingxi_log.removeHandler(handler)
        thread.stop()
        sock.close()


class BrokenTTS(FakeTTS):
    """A voice whose every synthesis fails."""

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        raise RuntimeError("speech server unreachable")
        yield np.zeros(0, np.int16)  # an async generator, like the real ones


@contextlib.contextmanager
def serving(script: SpeechScript, replies: Sequence[str],
            settings: Settings | None = None, *, voice_fails: bool = False
            ) -> Iterator[LingxiServer]:
    """Run a Lingxi server on a free port until the block ends (`voice_fails`: every
    synthesis raises, as a speech server that went down would)."""
    clock = MonotonicClock()
    responder = FakeResponder(clock, replies=list(replies))
    tts = (BrokenTTS if voice_fails else FakeTTS)(clock, ms_per_char=80)
    engines = Engines(vad=EnergyVad(), asr=FakeASR(clock, script), responder=responder,
                      tts=tts)
    app = create_app(settings or Settings(duties=False), engines=engines, clock=clock)
    errors: list[logging.LogRecord] = []
    with serve_app(app, errors) as port:
        yield LingxiServer(port=port, script=script, replies=replies, responder=responder,
                           errors=errors)


def _factory() -> Iterator[ServerFactory]:
    with contextlib.ExitStack() as stack:
        def start(script: SpeechScript, replies: Sequence[str]) -> LingxiServer:
            return stack.enter_context(serving(script, replies))

        yield start


@pytest.fixture
def lingxi_server() -> Iterator[ServerFactory]:
    """`lingxi_server(script, replies)` starts a server; it stops when the test ends."""
    yield from _factory()


@pytest.fixture(scope="module")
def lingxi_server_for_module() -> Iterator[ServerFactory]:
    """Like `lingxi_server`, for module-scoped fixtures (a conversation several tests check)."""
    yield from _factory()


def wait_until_serving(proc: subprocess.Popen[bytes], port: int, within_s: float = 30,
                       *, tls: bool = False) -> None:
    """Wait for a `lingxi serve` process to answer /healthz (its output shown if it died)."""
    deadline = time.monotonic() + within_s
    scheme = "https" if tls else "http"
    context = ssl._create_unverified_context() if tls else None  # a self-signed test cert
    while True:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else b""
        try:
            with urllib.request.urlopen(f"{scheme}://127.0.0.1:{port}/healthz", timeout=1,
                                        context=context):
                return
        except OSError:
            assert time.monotonic() < deadline, f"lingxi serve did not come up in {within_s} s"
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Real Realtime clients on Node, installed from the npm registry by `scripts/install.sh --test`
# into the user's cache (never into the repository).
CLIENT_SCRIPTS = Path(__file__).parents[1] / "clients"


def node_clients_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "lingxi" / "node-clients"


@pytest.fixture(scope="session")
def node_clients() -> Path:
    """The folder with the clients' node_modules; each script of ours is copied next to
    them (ES modules resolve packages from the script's own folder)."""
    folder = node_clients_dir()
    node = shutil.which("node")
    assert node is not None, "Node.js is missing: run scripts/install.sh --test"
    assert (folder / "node_modules" / "@openai" / "agents-realtime").is_dir(), \
        f"the Node clients are not installed in {folder}: run scripts/install.sh --test"
    for script in CLIENT_SCRIPTS.glob("*.mjs"):
        # Copied beside and renamed over: the other test worker may be running this script.
        partial = folder / f".{script.name}.{os.getpid()}"
        shutil.copyfile(script, partial)
        os.replace(partial, folder / script.name)
    return folder
