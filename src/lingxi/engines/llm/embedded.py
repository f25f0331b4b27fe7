"""The embedded language model as a supervised local server.

`ModelServer` runs llama.cpp's OpenAI-compatible server (`model_server.py`, on xllamacpp) as a
child process on a loopback port it chooses once, waits until it answers `/health`, and
restarts it on the same port whenever it dies, so the chat client's base URL never changes.
The child dies with its parent (PR_SET_PDEATHSIG) and `stop()` ends it at shutdown.

Lingxi talks to it exactly as to a model by URL: the same client, streaming, barge-in
closing the stream, first-token timeout with the companion as fallback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from lingxi.clock import MonotonicClock

log = logging.getLogger(__name__)

ALIAS = "qwen2.5-coder-1.5b-instruct"


class ModelServerError(RuntimeError):
    """The model server did not come up; the message says why (and where its log is)."""


def thread_budget(cpus: int | None = None, requested: int = 0) -> tuple[int, int]:
    """Threads for (generating, reading the prompt).

    llama.cpp's threads wait for each other at every step, so a thread the OS parks stalls the
    rest: on a busy 2-core machine one thread read prompts twice as fast as two (27 vs 14
    tokens/s, measured) and held 10–17 tokens/s generating where two collapsed. Leave the other
    cores to speech recognition and synthesis.
    """
    cpus = cpus or os.cpu_count() or 1
    if requested > 0:
        return requested, requested
    if cpus <= 2:
        return 1, 1
    return min(cpus - 2, 8), min(cpus - 1, 8)


@dataclass(frozen=True, slots=True)
class EmbeddedOptions:
    model: Path
    threads: int = 1
    batch_threads: int = 1
    parallel: int = 2  # calls answered at once; each slot keeps its own prompt cache
    context_per_call: int = 4096  # tokens of prompt + reply per slot
    slot_dir: Path | None = None  # where prompt caches are saved and restored (warm.py)
    no_copy: float = 0.8  # llama.cpp's DRY penalty (see model_server.py)
    start_timeout_s: float = 120.0
    restart_backoff_s: float = 0.5  # wait after a quick death, doubled each time, up to 30 s


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ModelServer:
    """A supervised child process serving the model on 127.0.0.1:`port`."""

    def __init__(self, options: EmbeddedOptions, *, port: int | None = None,
                 on_ready: Callable[[], None] | None = None) -> None:
        self.options = options
        self._on_ready = on_ready  # run in a thread of its own after every (re)start
        self.port = port or free_port()
        self.restarts = 0
        self._clock = MonotonicClock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watchdog: threading.Thread | None = None
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115  # lives as long as the server
            prefix="lingxi-model-server-", suffix=".log", delete=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def log_path(self) -> Path:
        return Path(self._log.name)

    def command(self) -> list[str]:
        o = self.options
        return [sys.executable, "-m", "lingxi.engines.llm.model_server",
                "--model", str(o.model), "--port", str(self.port), "--alias", ALIAS,
                "--threads", str(o.threads), "--batch-threads", str(o.batch_threads),
                "--parallel", str(o.parallel),
                "--context", str(o.context_per_call * o.parallel), "--parent", str(os.getpid()),
                "--no-copy", str(o.no_copy),
                *(["--slot-dir", str(o.slot_dir)] if o.slot_dir is not None else [])]

    def start(self) -> None:
        """Start the server and wait until it answers (ModelServerError if it cannot)."""
        self._spawn_and_wait()
        self._ready()
        self._watchdog = threading.Thread(target=self._watch, name="lingxi-model-watchdog",
                                          daemon=True)
        self._watchdog.start()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._watchdog is not None and self._watchdog is not threading.current_thread():
            self._watchdog.join(timeout=5)
        self._log.close()
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> ModelServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _spawn_and_wait(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self._proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                          stdout=self._log, stderr=subprocess.STDOUT)
            proc = self._proc
        deadline = self._clock.now() + self.options.start_timeout_s
        with httpx.Client(timeout=2.0) as http:
            while self._clock.now() < deadline and not self._stopping.is_set():
                if proc.poll() is not None:
                    raise ModelServerError(f"the model server exited with code "
                                           f"{proc.returncode} while starting: {self._tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if http.get(f"http://127.0.0.1:{self.port}/health").status_code == 200:
                        return
                self._stopping.wait(0.1)
        if not self._stopping.is_set():
            proc.kill()
            raise ModelServerError(f"the model server did not answer within "
                                   f"{self.options.start_timeout_s:.0f} s (log: {self.log_path})")

    def _watch(self) -> None:
        backoff = self.options.restart_backoff_s
        while not self._stopping.is_set():
            with self._lock:
                proc = self._proc
            assert proc is not None
            started = self._clock.now()
            code = proc.wait()
            if self._stopping.is_set():
                return
            log.warning("the model server (pid %d) exited with code %s; restarting it",
                        proc.pid, code)
            # A server that keeps dying soon after it starts is restarted ever more slowly.
            if self._clock.now() - started < 30.0:
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 30.0)
            else:
                backoff = self.options.restart_backoff_s
            while not self._stopping.is_set():
                try:
                    self._spawn_and_wait()
                    self.restarts += 1
                    log.warning("the model server is back (pid %s)", self.pid)
                    self._ready()
                    break
                except ModelServerError as exc:
                    log.error("%s; trying again in %.0f s", exc, backoff)
                    self._stopping.wait(backoff)
                    backoff = min(backoff * 2, 30.0)

    def _ready(self) -> None:
        if self._on_ready is not None:
            threading.Thread(target=self._on_ready, name="lingxi-model-ready",
                             daemon=True).start()

    def _tail(self, limit: int = 600) -> str:
        try:
            text = self.log_path.read_text("utf-8", "replace")
        except OSError:
            return ""
        lines = [line for line in text.splitlines() if line.strip()]
        return " | ".join(lines[-4:])[-limit:]
